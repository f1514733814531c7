# ruff: noqa: E501
"""Demo content for the 青岚镇 government information disclosure portal.

Everything here is fictional: 青岚镇 in 云溪县, its villages 东坪村, 西岭村,
南塘村, 北坳村 and 青岚社区, its officials, residents, projects and figures.
All text was written for this demo.

The module is pure data (no Django imports), so the ``seed_demo`` command,
tests and benchmarks can all read it. The few helpers below only build the
repetitive items (quarterly lists, village accounts, budget tables) from
small tables, so that totals always add up.

``NOTICES`` is a list of dicts with these keys:

- ``key``: unique ascii id, used for cross references.
- ``title``, ``summary`` and ``body`` (a list of paragraphs).
- ``kind``: document, interpretation, publicity, announcement, news,
  service_guide, finance, consultation, report or other.
- ``catalog``: path of the catalog node, e.g. ``"finance/budget"``.
- ``org``: key of the issuing organisation: township, office, civil,
  finance, agri, land, social, safety, v-dongping, v-xiling, v-nantang,
  v-beiao, c-qinglan.
- ``written`` (``"YYYY-MM-DD"``) and ``published`` (``"YYYY-MM-DD HH:MM"``).
  For items that are not public, ``published`` is the time of their last
  workflow step.
- Optional: ``document_number``; ``interprets`` (key of the policy document
  an interpretation explains); ``validity`` (``"repealed"`` or
  ``"expired"``) with ``validity_changed_on`` and optionally
  ``superseded_by``; ``posting_days`` (公示期 in days); ``attachments``.
- Optional ``state`` for the items that are not (or no longer) public:
  draft, submitted, returned, approved, withdrawn (with ``withdraw_reason``),
  scheduled, on_application and not_disclosed (both with ``reason``).
  A published item has no ``state``.

An attachment is one of::

    {"type": "xlsx", "title": ..., "filename": ..., "sheet": {"headers": [...], "rows": [[...], ...]}}
    {"type": "pdf" | "docx", "title": ..., "filename": ..., "paragraphs": [...]}

Personal data in published lists is masked as the disclosure rules require:
names as 张*明, mobile numbers as 138****1234, identity card numbers as
35*************123, addresses only down to the village. Contact numbers
are office landlines.
"""

from __future__ import annotations

# Office landlines used throughout the texts.
TEL_OFFICE = "0596-7612301"
TEL_CIVIL = "0596-7612305"
TEL_FINANCE = "0596-7612308"
TEL_AGRI = "0596-7612312"
TEL_LAND = "0596-7612316"
TEL_SOCIAL = "0596-7612318"
TEL_SAFETY = "0596-7612320"
TEL_DUTY = "0596-7612110"  # 24-hour duty line
TEL_DISCIPLINE = "0596-7612335"  # 镇纪委举报电话
TEL_SERVICE = "0596-7612399"  # 便民服务中心
TEL_VILLAGE = {
    "东坪村": "0596-7625101",
    "西岭村": "0596-7625102",
    "南塘村": "0596-7625103",
    "北坳村": "0596-7625104",
    "青岚社区": "0596-7625105",
}


# ---------------------------------------------------------------------------
# Helpers for repetitive tables
# ---------------------------------------------------------------------------


def _r2(value: float) -> float:
    return round(value + 0.0, 2)


def _pct(current: float, previous: float) -> str:
    if not previous:
        return "—"
    return f"{(current - previous) / previous * 100:+.1f}"


def _budget_sheet(rows: list[tuple], current: str, previous: str) -> dict:
    """Expenditure by function, in 万元, with change and a total row.

    rows: (subject code, subject name, current amount, previous amount).
    """
    out = [[code, name, cur, prev, _pct(cur, prev)] for code, name, cur, prev in rows]
    total_cur = _r2(sum(r[2] for r in rows))
    total_prev = _r2(sum(r[3] for r in rows))
    out.append(["", "支出合计", total_cur, total_prev, _pct(total_cur, total_prev)])
    return {"headers": ["科目编码", "科目名称", current, previous, "增减（%）"], "rows": out}


def _total(rows: list[tuple], index: int) -> float:
    return _r2(sum(r[index] for r in rows))


def _numbered(rows: list[tuple]) -> list[list]:
    return [[i, *row] for i, row in enumerate(rows, start=1)]


def _dibao_notice(
    *,
    key: str,
    year: int,
    quarter: int,
    written: str,
    published: str,
    households: int,
    persons: int,
    amount: float,
    tekun: tuple[int, float],
    changes: list[tuple],
    note: str,
) -> dict:
    """A quarterly 城乡低保 notice with its list of changes.

    changes: (masked name, village, persons in household, change,
    monthly amount after the change in 元, reason, effective month).
    """
    standard = 760 if year == 2025 else 800
    tekun_persons, tekun_amount = tekun
    added = sum(1 for c in changes if c[3] == "新增")
    stopped = sum(1 for c in changes if c[3] == "停保")
    adjusted = len(changes) - added - stopped
    months = {1: "1—3月", 2: "4—6月", 3: "7—9月", 4: "10—12月"}[quarter]
    return {
        "key": key,
        "title": f"青岚镇{year}年第{quarter}季度城乡最低生活保障金发放情况公示",
        "summary": (
            f"公示{year}年第{quarter}季度全镇城乡低保保障户数、人数和资金发放总额，"
            f"以及本季度新增、停保和调整保障金额的对象名单（个人信息已按规定脱敏）。"
        ),
        "body": [
            (
                f"根据《社会救助暂行办法》和云溪县城乡最低生活保障工作有关规定，经村（社区）民主评议、"
                f"镇人民政府审核、县民政局审批，现将青岚镇{year}年第{quarter}季度（{months}）"
                f"城乡最低生活保障金发放情况予以公示。"
            ),
            (
                f"本季度全镇共有城乡低保对象{households}户{persons}人，"
                f"发放低保金{amount:,.2f}元，保障标准为每人每月{standard}元，"
                f"按家庭人均收入与保障标准的差额分档发放。同期发放特困人员基本生活费"
                f"{tekun_persons}人、{tekun_amount:,.2f}元。资金全部通过“一卡通”直接打入对象本人账户。"
            ),
            (
                f"本季度动态调整{len(changes)}户，其中新增{added}户、停保{stopped}户、"
                f"调整保障金额{adjusted}户，名单见附件。{note}"
            ),
            (
                "公示期为7天。对公示对象有异议的，可在公示期内向所在村（社区）或镇民政办实名反映，"
                f"镇民政办电话{TEL_CIVIL}，云溪县民政局社会救助股监督电话0596-7302216。"
                "镇民政办接到反映后5个工作日内组织入户核查，并向反映人反馈核查结果。"
            ),
        ],
        "kind": "publicity",
        "catalog": "key-areas/social-assistance",
        "org": "civil",
        "written": written,
        "published": published,
        "posting_days": 7,
        "attachments": [
            {
                "type": "xlsx",
                "title": f"{year}年第{quarter}季度城乡低保对象变动名单",
                "filename": f"{year}年第{quarter}季度城乡低保对象变动名单.xlsx",
                "sheet": {
                    "headers": [
                        "序号",
                        "户主姓名",
                        "所属村（社区）",
                        "保障人数",
                        "变动类型",
                        "调整后月保障金（元）",
                        "变动原因",
                        "起始月份",
                    ],
                    "rows": _numbered(changes),
                },
            }
        ],
    }


def _village_finance_notice(
    *,
    key: str,
    org: str,
    village: str,
    year: int,
    quarter: int,
    written: str,
    published: str,
    opening: float,
    income: list[tuple[str, float]],
    spending: list[tuple[str, float]],
    remarks: list[str],
) -> dict:
    """A village's quarterly account, audited by its supervision committee."""
    total_in = _total(income, 1)
    total_out = _total(spending, 1)
    closing = _r2(opening + total_in - total_out)
    rows = [["期初余额", "", opening]]
    rows += [["收入", item, amount] for item, amount in income]
    rows.append(["收入小计", "", total_in])
    rows += [["支出", item, amount] for item, amount in spending]
    rows.append(["支出小计", "", total_out])
    rows.append(["期末余额", "", closing])
    tel = TEL_VILLAGE[village]
    return {
        "key": key,
        "title": f"{village}{year}年第{quarter}季度村级财务收支情况公开",
        "summary": (
            f"{village}公开{year}年第{quarter}季度村集体收入、支出和期末结余情况，"
            f"已经村务监督委员会审核签字，欢迎村民查阅监督。"
        ),
        "body": [
            (
                f"根据《青岚镇村务公开和民主管理实施办法》，经{village}村务监督委员会逐笔审核、"
                f"镇村级财务委托代理服务中心复核，现将本村{year}年第{quarter}季度财务收支情况公开如下。"
            ),
            (
                f"本季度期初余额{opening:,.2f}元；收入合计{total_in:,.2f}元；"
                f"支出合计{total_out:,.2f}元；期末余额{closing:,.2f}元。"
                f"各项收支明细见附件，原始凭证存放于镇村级财务委托代理服务中心，村民可预约查阅。"
            ),
            *remarks,
            (
                f"本次公开期限为30日。村民对公开内容有疑问的，可向{village}村务监督委员会询问，"
                f"或向镇农业农村办（村级财务委托代理服务中心）反映，电话{tel}、{TEL_AGRI}。"
            ),
        ],
        "kind": "finance",
        "catalog": "finance/village-finance",
        "org": org,
        "written": written,
        "published": published,
        "attachments": [
            {
                "type": "xlsx",
                "title": f"{village}{year}年第{quarter}季度财务收支明细表",
                "filename": f"{village}{year}年第{quarter}季度财务收支明细表.xlsx",
                "sheet": {"headers": ["类别", "项目", "金额（元）"], "rows": rows},
            }
        ],
    }


# ---------------------------------------------------------------------------
# Figures shared by several notices
# ---------------------------------------------------------------------------

# General public budget expenditure by function, in 万元.
# Columns: code, name, 2024 final, 2025 budget, 2025 final, 2026 budget.
_EXPENDITURE = [
    ("201", "一般公共服务支出", 1186.42, 1152.30, 1174.85, 1138.60),
    ("204", "公共安全支出", 46.80, 42.00, 44.26, 45.00),
    ("207", "文化旅游体育与传媒支出", 58.36, 52.00, 61.73, 55.00),
    ("208", "社会保障和就业支出", 612.57, 598.40, 631.28, 612.50),
    ("210", "卫生健康支出", 163.25, 158.60, 166.04, 160.20),
    ("211", "节能环保支出", 72.18, 60.00, 85.47, 68.00),
    ("212", "城乡社区支出", 498.66, 430.00, 512.39, 452.00),
    ("213", "农林水支出", 1206.94, 1108.50, 1158.62, 1142.80),
    ("221", "住房保障支出", 142.30, 128.40, 136.95, 130.50),
    ("224", "灾害防治及应急管理支出", 96.52, 65.00, 118.36, 78.00),
    ("229", "其他支出", 42.58, 70.00, 12.42, 36.00),
]
FINAL_2024 = _total(_EXPENDITURE, 2)
BUDGET_2025 = _total(_EXPENDITURE, 3)
FINAL_2025 = _total(_EXPENDITURE, 4)
BUDGET_2026 = _total(_EXPENDITURE, 5)

# 三公经费, in 万元: (travel abroad, car purchase, car running, reception).
_THREE_PUBLIC = {
    "2024 final": (0.0, 0.0, 13.87, 3.96),
    "2025 budget": (0.0, 0.0, 14.40, 4.20),
    "2025 final": (0.0, 0.0, 13.51, 3.41),
    "2026 budget": (0.0, 0.0, 13.00, 3.50),
}


def _three_public_total(label: str) -> float:
    return _r2(sum(_THREE_PUBLIC[label]))


def _three_public_sheet(current: str, previous: str) -> dict:
    cur, prev = _THREE_PUBLIC[current], _THREE_PUBLIC[previous]
    names = ["因公出国（境）费", "公务用车购置费", "公务用车运行维护费", "公务接待费"]
    rows = [[name, c, p, _r2(c - p)] for name, c, p in zip(names, cur, prev, strict=True)]
    rows.append(["合计", _r2(sum(cur)), _r2(sum(prev)), _r2(sum(cur) - sum(prev))])
    labels = {
        "2024 final": "2024年决算数（万元）",
        "2025 budget": "2025年预算数（万元）",
        "2025 final": "2025年决算数（万元）",
        "2026 budget": "2026年预算数（万元）",
    }
    return {"headers": ["项目", labels[current], labels[previous], "增减（万元）"], "rows": rows}


NOTICES: list[dict] = []


# ---------------------------------------------------------------------------
# 机构职能：机构设置、领导信息、村（社区）概况
# ---------------------------------------------------------------------------

NOTICES += [
    {
        "key": "org-structure-2025",
        "title": "青岚镇人民政府机构设置及主要职责",
        "summary": "公开青岚镇人民政府的法定职责、内设办公室和站所设置，以及各机构承担的主要工作、办公地点和联系电话，方便群众找准办事部门。",
        "body": [
            "青岚镇位于云溪县东北部，镇域面积86.4平方公里，辖东坪村、西岭村、南塘村、北坳村4个行政村和青岚社区1个社区，共3401户11670人。镇人民政府驻青岚路18号，对镇人民代表大会和云溪县人民政府负责并报告工作。",
            "镇人民政府依法执行镇人民代表大会的决议和上级国家行政机关的决定、命令，组织实施本镇经济社会发展计划和财政预算，管理农业农村、自然资源、民政、社会保障、卫生健康、应急管理和生态环境等行政工作，指导村民委员会、居民委员会依法开展自治活动。",
            "根据云溪县机构编制委员会批复，镇政府设党政综合办公室（党政办）、民政办、农业农村办、社会事务办、应急管理办5个办公室，另设财政所、自然资源所2个站所。党政办负责综合协调、文电会务、政务公开、机关事务和便民服务中心日常管理。",
            "民政办负责社会救助、养老服务、残疾人福利和优抚安置；农业农村办负责农业生产、惠农补贴、农村集体资产和村级财务委托代理；社会事务办负责就业、社会保险、卫生健康、计划生育服务和文化教育；应急管理办负责安全生产、防汛抗旱、森林防火和地质灾害防治。",
            "财政所负责镇级预决算编制和执行、国库集中支付、惠民惠农资金“一卡通”发放；自然资源所负责国土空间规划实施、农村宅基地审核、耕地保护和征地协调。各机构办公地点和电话见附件，便民服务中心咨询电话0596-7612399。",
        ],
        "kind": "other",
        "catalog": "organization/structure",
        "org": "office",
        "written": "2025-01-07",
        "published": "2025-01-08 09:30",
        "attachments": [
            {
                "type": "xlsx",
                "title": "青岚镇内设机构及站所一览表",
                "filename": "青岚镇内设机构及站所一览表.xlsx",
                "sheet": {
                    "headers": ["机构名称", "主要职责", "办公地点", "联系电话"],
                    "rows": [
                        [
                            "党政办",
                            "综合协调、文电会务、政务公开、依申请公开受理",
                            "镇政府二楼201室",
                            "0596-7612301",
                        ],
                        [
                            "民政办",
                            "低保特困、临时救助、养老服务、残疾人福利",
                            "便民服务中心3号窗口",
                            "0596-7612305",
                        ],
                        [
                            "财政所",
                            "预决算、国库支付、惠民惠农资金发放",
                            "镇政府一楼105室",
                            "0596-7612308",
                        ],
                        [
                            "农业农村办",
                            "农业生产、涉农补贴、村级财务委托代理",
                            "镇政府三楼302室",
                            "0596-7612312",
                        ],
                        [
                            "自然资源所",
                            "宅基地审核、耕地保护、征地协调",
                            "镇政府三楼306室",
                            "0596-7612316",
                        ],
                        [
                            "社会事务办",
                            "就业社保、卫生健康、计生服务、文化教育",
                            "便民服务中心5号窗口",
                            "0596-7612318",
                        ],
                        [
                            "应急管理办",
                            "安全生产、防汛抗旱、森林防火、地灾防治",
                            "镇政府二楼208室",
                            "0596-7612320",
                        ],
                    ],
                },
            }
        ],
    },
    {
        "key": "org-service-center-2026",
        "title": "青岚镇便民服务中心窗口设置及进驻事项调整情况",
        "summary": "为推进“一窗受理、集成服务”，镇便民服务中心于2026年7月1日起调整窗口设置和进驻事项，现将调整后的窗口分工、进驻事项数量和村级代办点情况予以公开。",
        "body": [
            "为落实云溪县深化基层“放管服”改革有关要求，经镇党政联席会议研究，青岚镇便民服务中心自2026年7月1日起由分部门设窗调整为“综合受理、分类办理、统一出件”的工作模式，原8个部门窗口整合为5个综合窗口。",
            "调整后，1号窗口为综合受理窗口，统一接收各类办件；2号窗口办理社会救助、养老服务、残疾人补贴事项；3号窗口办理社保医保、就业登记、生育登记事项；4号窗口办理宅基地申请、农业补贴、农村产权事项；5号窗口为“办不成事”反映窗口，由党政办工作人员轮值。",
            "进驻便民服务中心的政务服务事项由74项增加到86项，其中即办件41项、承诺件45项。新增的12项主要为高龄津贴申领、残疾人两项补贴申领、农村宅基地使用权流转备案等群众办理频次较高的事项。",
            "东坪村、西岭村、南塘村、北坳村和青岚社区党群服务中心设立代办点，由村（社区）便民服务专干为行动不便的老年人、残疾人提供帮办代办服务，可代办事项32项。",
            "群众对窗口服务有意见建议的，可在服务中心意见箱留言，或拨打监督电话0596-7612301反映。",
        ],
        "kind": "other",
        "catalog": "organization/structure",
        "org": "office",
        "written": "2026-06-15",
        "published": "2026-06-19 10:10",
    },
    {
        "key": "leaders-2025",
        "title": "青岚镇领导班子成员及工作分工",
        "summary": "公开青岚镇党委、人大、政府领导班子成员的姓名、职务、工作分工和联系村（社区）情况，便于群众了解各项工作的分管领导。",
        "body": [
            "林志远，镇党委书记，主持镇党委全面工作，担任镇政务公开工作领导小组组长。陈思敏，镇党委副书记、镇长，主持镇政府全面工作，负责财政、审计工作，分管财政所。黄德明，镇人大主席，主持镇人大主席团工作，负责人大代表联络和对政府工作的监督。",
            "郑建国，镇党委副书记，协助党委书记抓好党的建设，负责组织、宣传、平安建设和信访工作，分管党政办，具体负责政务公开日常工作。吴丽华，镇党委委员、纪委书记，负责纪检监察工作，担任镇政务公开监督小组组长。",
            "王海涛，镇党委委员、副镇长，负责农业农村、乡村振兴、自然资源和水利工作，分管农业农村办、自然资源所，联系东坪村、西岭村。李婷，副镇长，负责民政、社会保障、卫生健康、教育和计划生育工作，分管民政办、社会事务办，联系青岚社区。",
            "刘振宇，镇党委委员、副镇长，负责应急管理、安全生产、森林防火、交通和经济发展工作，分管应急管理办，联系南塘村、北坳村。周文斌，镇党委委员、组织委员，协助抓好基层组织建设和干部队伍管理。蔡俊峰，镇党委委员、武装部部长，负责人民武装和退役军人服务工作。",
            "领导班子成员分工如有调整，将在调整后20个工作日内更新公开。联系电话：镇党政办0596-7612301。",
        ],
        "kind": "other",
        "catalog": "organization/leaders",
        "org": "office",
        "written": "2025-01-09",
        "published": "2025-01-10 15:20",
    },
    {
        "key": "leaders-2026",
        "title": "青岚镇人民政府关于调整领导班子成员工作分工的通知",
        "summary": "因领导班子成员变动，经镇党委会议研究，对镇政府领导班子成员工作分工作相应调整，现将调整后的分工和联系村（社区）情况予以公开。",
        "body": [
            "各村（居）民委员会，镇直各单位、各站所：王海涛同志因工作调动，不再担任青岚镇副镇长职务。2026年5月28日，青岚镇第十八届人民代表大会第六次会议选举杨帆同志为青岚镇副镇长。经镇党委会议研究，现将镇政府领导班子成员工作分工调整如下。",
            "陈思敏同志主持镇政府全面工作，负责财政、审计工作，分管财政所。杨帆同志负责农业农村、乡村振兴、自然资源和水利工作，分管农业农村办、自然资源所，联系东坪村、西岭村，同时负责村（社区）“两委”换届后续工作。",
            "李婷同志负责民政、社会保障、卫生健康、教育和计划生育工作，分管民政办、社会事务办，联系青岚社区。刘振宇同志负责应急管理、安全生产、森林防火、交通和经济发展工作，分管应急管理办，联系南塘村、北坳村，并协助镇长抓好重点项目建设。",
            "领导班子成员外出期间，其分管工作由镇长指定其他班子成员临时负责。本通知自印发之日起执行，此前分工与本通知不一致的，以本通知为准。",
        ],
        "kind": "document",
        "catalog": "organization/leaders",
        "org": "township",
        "document_number": "青政发〔2026〕11号",
        "written": "2026-06-05",
        "published": "2026-06-08 16:00",
    },
    {
        "key": "villages-overview-2025",
        "title": "青岚镇各村（社区）基本情况",
        "summary": "公开青岚镇4个行政村和1个社区的户数、人口、村民小组、耕地和林地面积、主导产业及村（社区）党群服务中心地址，作为群众了解村情的基础资料。",
        "body": [
            "东坪村紧邻镇区，辖8个村民小组，户籍612户2236人，耕地2860亩，以优质稻和油茶种植为主，县道X203线穿村而过，交通便利。村党群服务中心位于东坪村坪头自然村。",
            "西岭村地处镇域西部山区，辖6个村民小组，户籍438户1574人，林地约1.2万亩，毛竹和高山茶为主导产业，现有茶叶专业合作社2家。南塘村为平原水网村，辖9个村民小组，户籍705户2618人，有集体鱼塘620亩和标准厂房4800平方米。",
            "北坳村位于镇域北部，辖5个村民小组，户籍296户1032人，生态公益林面积较大，近年发展林下经济和乡村民宿，村内有地质灾害隐患点3处，已落实群测群防责任人。青岚社区为镇政府驻地，辖7个居民小组，户籍1350户4210人，是全镇商贸和公共服务集中区域。",
            "各村（社区）基本数据以2024年末统计年报为准，每年更新一次，详细情况见附件。",
        ],
        "kind": "other",
        "catalog": "organization/villages",
        "org": "office",
        "written": "2025-03-03",
        "published": "2025-03-04 10:40",
        "attachments": [
            {
                "type": "xlsx",
                "title": "青岚镇各村（社区）基本情况统计表（2024年末）",
                "filename": "青岚镇各村社区基本情况统计表2024.xlsx",
                "sheet": {
                    "headers": [
                        "村（社区）",
                        "村（居）民小组",
                        "户数",
                        "人口",
                        "耕地（亩）",
                        "林地（亩）",
                        "主导产业",
                    ],
                    "rows": [
                        ["东坪村", 8, 612, 2236, 2860, 3150, "优质稻、油茶"],
                        ["西岭村", 6, 438, 1574, 1120, 12060, "毛竹、高山茶"],
                        ["南塘村", 9, 705, 2618, 3240, 860, "水产养殖、莲子"],
                        ["北坳村", 5, 296, 1032, 680, 9480, "林下经济、乡村民宿"],
                        ["青岚社区", 7, 1350, 4210, 210, 0, "商贸服务"],
                        ["合计", 35, 3401, 11670, 8110, 25550, ""],
                    ],
                },
            }
        ],
    },
    {
        "key": "village-service-stations-2026",
        "title": "各村（社区）党群服务中心地址、办公时间及联系电话",
        "summary": "村（社区）“两委”换届完成后，镇党政办对各村（社区）党群服务中心的地址、办公时间、值班电话和可代办事项进行了核对更新，现予以公开。",
        "body": [
            "2026年村（社区）“两委”换届选举已全部完成。为方便群众就近办事，现将各村（社区）党群服务中心地址、办公时间和联系电话更新公开。各党群服务中心工作日办公时间为上午8:30—12:00、下午14:30—17:30，农忙季节实行错时服务。",
            "东坪村党群服务中心位于坪头自然村，电话0596-7625101；西岭村党群服务中心位于岭下自然村，电话0596-7625102；南塘村党群服务中心位于塘口自然村，电话0596-7625103；北坳村党群服务中心位于坳背自然村，电话0596-7625104；青岚社区党群服务中心位于青岚路46号，电话0596-7625105。",
            "各党群服务中心可代办低保和临时救助申请受理、高龄津贴申领、城乡居民医保和养老保险参保登记、残疾人两项补贴申请、宅基地申请材料初审等32项事项，实行“村里收件、镇里办理、村里取件”。",
            "周末和法定节假日遇紧急情况，可拨打镇政府24小时值班电话0596-7612110。",
        ],
        "kind": "other",
        "catalog": "organization/villages",
        "org": "office",
        "written": "2026-05-06",
        "published": "2026-05-07 11:15",
    },
]
