# ruff: noqa: E501
"""Phrase tables for the bench county: titles and bodies composed at random.

Everything here is fictional and written for the benchmark: the county 云溪县,
its twenty townships, their villages, people, projects and figures. Nothing is
copied from real documents. Pure data plus one composer class; no Django.

A notice is drawn as an `Entry` (catalog node, issuing unit, kind, title
templates, body family) weighted by how often such items appear on a real
township portal, then its title and 3-5 body paragraphs are filled from one
context of places, dates and amounts, so that the title and the body agree.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

# --- places -------------------------------------------------------------------------

# (name without suffix, suffix, slug); the first is the demo township.
TOWNSHIPS = [
    ("青岚", "镇", "qinglan"), ("白沙", "镇", "baisha"), ("石门", "乡", "shimen"),
    ("龙潭", "镇", "longtan"), ("枫林", "乡", "fenglin"), ("桃源", "镇", "taoyuan"),
    ("竹溪", "乡", "zhuxi"), ("梅岭", "镇", "meiling"), ("清水", "乡", "qingshui"),
    ("松坪", "镇", "songping"), ("云台", "乡", "yuntai"), ("金竹", "镇", "jinzhu"),
    ("黄泥", "乡", "huangni"), ("双溪", "镇", "shuangxi"), ("凤岗", "乡", "fenggang"),
    ("高田", "镇", "gaotian"), ("长坑", "乡", "changkeng"), ("湖山", "镇", "hushan"),
    ("洋坑", "乡", "yangkeng"), ("南峰", "镇", "nanfeng"),
]  # fmt: skip

VILLAGE_HEADS = "东西南北上下大小新老石竹枫桃梅松杨柳何林溪岭"
VILLAGE_TAILS = "坪岭塘坳坑洋溪田山坂厝湾埔垄源"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许邓冯韩曹曾彭萧蔡潘田董袁"
GIVEN = "建国华明丽芳军伟强敏静磊洋勇艳杰娟涛超秀英霞平刚桂兰文辉志红海燕晓玉春梅德"

# --- what the notices talk about ---------------------------------------------------------

TOPICS = [
    "农村人居环境整治", "森林防火", "安全生产", "防汛抗旱", "农村宅基地管理", "村级财务管理",
    "殡葬改革", "生活垃圾分类", "河湖长制", "耕地保护", "乡村振兴", "矛盾纠纷排查化解",
    "居家养老服务", "农村饮水安全", "秸秆综合利用", "地质灾害防治", "集体资产管理",
    "移风易俗", "农村消防安全", "防止返贫动态监测",
]  # fmt: skip
PROJECTS = [
    "村道硬化", "饮水工程提升改造", "山塘除险加固", "农村公路安防", "文化活动中心建设",
    "污水管网延伸", "危桥改造", "机耕路建设", "排灌渠道清淤", "路灯亮化", "便民桥修建",
    "高标准农田建设", "村部办公楼修缮", "河道生态护岸",
]  # fmt: skip
FUNDS = [
    "乡村振兴衔接", "农村综合改革转移支付", "生态公益林补偿", "一事一议财政奖补",
    "农村环境整治专项", "水利建设专项", "农业生产发展", "村级组织运转经费",
]  # fmt: skip
SERVICE_ITEMS = [
    "农村最低生活保障申请", "临时救助申请", "残疾人两项补贴申领", "农村宅基地建房审批",
    "城乡居民基本养老保险参保登记", "高龄津贴申领", "生育登记", "林木采伐许可初审",
    "特困人员救助供养申请", "计划生育家庭奖励扶助申报", "农村危房改造申请", "就业困难人员认定",
]  # fmt: skip
ASSETS = ["集体山林", "村部闲置用房", "鱼塘", "集体果园", "砂石场", "茶园", "店面", "晒谷场"]
MEETINGS = [
    "安全生产工作会议", "防汛抗旱工作部署会", "森林防火工作推进会", "乡村振兴工作推进会",
    "人居环境整治现场会", "经济工作会议", "信访维稳工作会议", "党风廉政建设工作会议",
]  # fmt: skip
ACTIVITIES = [
    "春季义务植树活动", "消防安全宣传进村入户活动", "重阳节敬老慰问活动", "防溺水专题宣传",
    "反电诈宣传进农村活动", "“安全生产月”咨询日活动", "农技服务下乡活动", "环境卫生大扫除",
    "法律明白人培训", "“我为群众办实事”走访活动",
]  # fmt: skip
HOLIDAYS = ["元旦", "春节", "清明节", "劳动节", "端午节", "中秋节", "国庆节"]
CAMPAIGNS = [
    "森林防火专项整治", "燃气安全排查整治", "道路交通安全集中整治", "违规占用耕地建房清理",
    "河道“清四乱”专项行动", "农村自建房安全排查", "秋冬季火灾防控",
]  # fmt: skip
SEASONS = ["春风行动", "春季", "夏季", "秋季", "冬季", "民营企业服务月"]
BASES = [
    "《中华人民共和国政府信息公开条例》", "《村民委员会组织法》", "《社会救助暂行办法》",
    "《中华人民共和国预算法》", "县委、县政府有关工作部署", "县财政局有关文件精神",
    "《农村集体经济组织财务制度》", "县民政局有关工作要求",
]  # fmt: skip
USES = [
    "村道维修和环境卫生保洁", "村干部误工补贴和办公经费", "公益事业建设和困难群众慰问",
    "水利设施维护和森林防火", "集体资产维护和项目配套", "党员活动和村务公开栏更新",
]  # fmt: skip

# --- entries: where a notice goes, who issues it, how its text reads ----------------------------

TOWN, VILLAGE = "township", "village"  # issuers besides the department keys of township.py


@dataclass(frozen=True)
class Entry:
    path: str  # catalog node path (a leaf of catalog/migrations/0002_catalog_tree.py)
    issuer: (
        str  # TOWN, VILLAGE or a department key: office, civil, finance, agri, land, social, safety
    )
    weight: int
    kind: str
    family: str  # body family, a key of BODIES
    titles: tuple[str, ...]


E = Entry
ENTRIES = [
    E("organization/structure", "office", 1, "other", "standing", (
        "{town}{dept}机构设置及主要职能", "{town}{dept}办公地址、办公时间及联系方式",
        "关于调整{town}{dept}内设机构职责分工的说明",
    )),
    E("organization/leaders", TOWN, 1, "other", "standing", (
        "{town}领导班子成员及工作分工（{myear}年{month}月更新）", "{town}{dept}负责人信息",
    )),
    E("organization/villages", VILLAGE, 1, "other", "standing", (
        "{town}{village}基本情况", "{town}{village}{year}年村情简介",
    )),
    E("documents/normative", TOWN, 4, "document", "document", (
        "{town}人民政府关于印发《{town}{topic}管理办法》的通知",
        "关于印发《{town}{year}年{topic}实施方案》的通知",
        "{town}人民政府关于进一步加强{topic}工作的意见",
        "{town}人民政府关于废止部分规范性文件的决定",
    )),
    E("documents/interpretations", TOWN, 2, "interpretation", "interpretation", (
        "《{town}{topic}管理办法》政策解读", "图解：{town}{year}年{topic}实施方案",
        "一图读懂{town}{topic}工作要点",
    )),
    E("documents/disclosure-rules", "office", 1, "document", "document", (
        "{town}{year}年政务公开工作要点", "{town}政府信息公开申请办理工作规程",
        "{town}政务公开保密审查制度",
    )),
    E("documents/rural-policy", "agri", 2, "document", "document", (
        "{town}关于落实{year}年耕地地力保护补贴政策的通知", "{town}{year}年高标准农田建设实施方案",
        "{town}关于做好{year}年春耕备耕工作的通知",
    )),
    E("documents/family-planning", "social", 1, "publicity", "list", (
        "{town}{year}年农村部分计划生育家庭奖励扶助对象公示",
        "{town}{year}年计划生育特别扶助政策执行情况",
    )),
    E("decisions/consultations", TOWN, 2, "consultation", "consultation", (
        "关于《{town}{topic}实施方案（征求意见稿）》公开征求意见的公告",
        "{town}{year}年{project}项目实施方案（征求意见稿）",
    )),
    E("decisions/results", TOWN, 2, "announcement", "decision", (
        "{town}{year}年第{n}次党委会议决策事项公开", "关于《{town}{topic}实施方案》意见采纳情况的说明",
    )),
    E("decisions/land-use", "land", 3, "publicity", "list", (
        "{town}{year}年第{n}批农村宅基地审批结果公示", "{town}{village}农村村民建房用地审批情况公示",
        "{town}国土空间规划（{year}—2035年）批前公示",
    )),
    E("decisions/public-projects", "office", 2, "announcement", "projects", (
        "{town}{qyear}年为民办实事项目进展情况（第{quarter}季度）", "{town}{year}年为民办实事项目安排",
    )),
    E("decisions/tenders", TOWN, 4, "announcement", "tender", (
        "{town}{village}{project}工程招标公告", "{town}{village}{project}工程中标结果公示",
        "{town}{project}工程竣工结算审计结果公开",
    )),
    E("services/guides", "civil", 3, "service_guide", "guide", ("{town}{item}办事指南",)),
    E("services/social-security", "social", 2, "announcement", "list", (
        "{town}{year}年城乡居民基本医疗保险参保缴费工作的通告",
        "{town}{myear}年{month}月高龄津贴发放名单公示",
    )),
    E("services/employment", "social", 2, "announcement", "notice", (
        "{town}{year}年{season}招聘岗位信息", "{town}{year}年农村劳动力职业技能培训报名通知",
        "{town}{year}年公益性岗位招聘公告",
    )),
    E("finance/budget", "finance", 1, "finance", "finance", (
        "{town}{year}年部门预算公开", "{town}{year}年部门决算公开",
        "{town}{year}年一般公共预算执行情况和{next_year}年预算草案的报告",
    )),
    E("finance/three-public-expenses", "finance", 1, "finance", "finance", (
        "{town}{year}年“三公”经费预算情况说明", "{town}{year}年“三公”经费决算情况说明",
    )),
    E("finance/special-funds", "finance", 3, "finance", "finance", (
        "{town}{year}年{fund}资金分配及使用情况公开",
        "{town}{qyear}年第{quarter}季度{fund}资金拨付情况公示",
    )),
    E("finance/debts", "finance", 1, "finance", "finance", (
        "{town}{year}年政府债务情况公开", "{town}{village}{year}年一事一议筹资筹劳方案公示",
    )),
    E("finance/village-finance", VILLAGE, 12, "finance", "village_finance", (
        "{town}{village}{qyear}年第{quarter}季度财务收支情况公开",
        "{town}{village}{myear}年{month}月财务收支明细公示",
        "{town}{village}{year}年度集体经济收益分配方案公示",
    )),
    E("key-areas/livelihood-funds", "finance", 4, "publicity", "list", (
        "{town}{qyear}年第{quarter}季度惠民惠农财政补贴资金发放情况公示",
    )),
    E("key-areas/social-assistance", "civil", 10, "publicity", "list", (
        "{town}{myear}年{month}月农村最低生活保障对象名单公示",
        "{town}{myear}年{month}月城乡低保资金发放情况公示",
        "{town}{qyear}年第{quarter}季度特困人员救助供养资金发放情况",
        "{town}{myear}年{month}月临时救助对象公示",
    )),
    E("key-areas/land-compensation", "land", 2, "publicity", "list", (
        "{town}{village}{project}项目征地补偿安置方案公告", "{town}{year}年征地补偿款发放情况公示",
    )),
    E("key-areas/housing-renovation", "agri", 2, "publicity", "list", (
        "{town}{year}年农村危房改造对象评议结果公示", "{town}{year}年农村危房改造补助资金发放情况",
    )),
    E("key-areas/farm-subsidies", "agri", 5, "publicity", "list", (
        "{town}{year}年耕地地力保护补贴发放情况公示", "{town}{year}年农机购置补贴资金兑付情况公示",
        "{town}{year}年稻谷目标价格补贴面积公示",
    )),
    E("key-areas/disaster-relief", "safety", 2, "publicity", "list", (
        "{town}{myear}年{month}月受灾群众救助资金发放情况公示",
        "{town}{year}年重点优抚对象抚恤补助发放公示",
    )),
    E("key-areas/collective-enterprises", VILLAGE, 2, "publicity", "list", (
        "{town}{village}{asset}承包租赁结果公示", "{town}{village}{asset}公开竞价发包公告",
    )),
    E("personnel/appointments", TOWN, 1, "announcement", "personnel", (
        "{town}关于{name}等同志职务任免的通知", "{town}{year}年拟提拔任用干部任前公示",
    )),
    E("personnel/recruitment", "office", 2, "announcement", "notice", (
        "{town}{year}年公开招聘村级后备干部公告", "{town}{year}年公开招聘社区工作者拟聘用人员公示",
    )),
    E("personnel/village-elections", VILLAGE, 1, "announcement", "notice", (
        "{town}{village}第{nth}届村民委员会选举结果公告",
        "{town}关于做好村（社区）“两委”换届选举工作的通知",
    )),
    E("news/highlights", "office", 12, "news", "news", (
        "{town}召开{year}年{meeting}", "{town}开展{activity}", "{town}主要领导到{village}调研{topic}工作",
        "{town}{village}：{topic}见实效",
    )),
    E("news/announcements", "office", 8, "announcement", "notice", (
        "{town}关于{year}年{holiday}期间有关工作安排的通知", "{town}关于开展{campaign}的通告",
        "{town}{village}停水通知（{soon_month}月{soon_day}日）", "{town}便民服务中心{holiday}假期值班安排",
    )),
    E("other/annual-reports", "office", 1, "report", "report", (
        "{town}{year}年政府信息公开工作年度报告",
    )),
    E("other/farmer-burden", "agri", 1, "publicity", "list", (
        "{town}{year}年农民负担监督卡", "{town}{year}年涉农收费项目和标准公示",
    )),
    E("other/fees-and-pledges", "office", 1, "other", "standing", (
        "{town}便民服务中心服务承诺", "{town}{year}年行政事业性收费项目目录",
    )),
    E("other/case-handling", TOWN, 1, "announcement", "notice", (
        "{town}{qyear}年第{quarter}季度违纪违法案件查处情况通报",
    )),
]  # fmt: skip

# --- bodies: paragraph templates per family -------------------------------------------------

OPENINGS = {
    "standing": [
        "为方便群众了解和监督，根据{basis}，现将{subject}公开如下。",
        "根据{basis}和县政务公开办的统一要求，{unit}对{subject}进行了梳理更新，现予公开。",
    ],
    "document": [
        "各村（社区）、镇直各单位：",
        "各村民委员会、社区居民委员会，镇属各部门：",
    ],
    "interpretation": [
        "近日，{town}印发了《{town}{topic}管理办法》。为便于群众理解和执行，现就有关内容解读如下。",
        "为做好政策宣传，{unit}对{town}{year}年{topic}有关文件的起草背景、主要内容和执行要点作如下解读。",
    ],
    "list": [
        "根据{basis}有关规定，经村（社区）初审、入户调查、民主评议和镇审核，现将{subject}予以公示。",
        "按照公开、公平、公正的原则，{unit}对{subject}进行了审核，现将结果公示如下。",
    ],
    "consultation": [
        "为提高决策的科学性和透明度，广泛听取社会各界意见，{town}起草了{subject}，现向社会公开征求意见。",
        "根据《重大行政决策程序暂行条例》，现将{subject}全文公布，欢迎社会各界提出意见建议。",
    ],
    "decision": [
        "{pub_date}，{town}召开党委会议，研究讨论了{topic}等事项，现将决策情况公开如下。",
        "{subject}已经集体研究决定，根据{basis}，现将有关情况予以公开。",
    ],
    "projects": [
        "{year}年，{town}围绕群众急难愁盼问题，确定了{n}件为民办实事项目，现将{subject}公开如下。",
    ],
    "tender": [
        "{town}{village}{project}工程已由有关部门批准建设，资金来源为财政资金和村集体自筹，项目已具备招标条件，现对该项目进行公开招标。",
        "{town}{village}{project}工程经公开招标、开标、评标，评标委员会推荐中标候选人，现将结果公示如下。",
    ],
    "guide": [
        "为方便群众办事，{unit}编制了{item}办事指南，群众可到{town}便民服务中心窗口咨询办理。",
    ],
    "finance": [
        "根据{basis}和县财政局有关要求，现将{subject}公开如下。",
        "为进一步推进财政资金信息公开，自觉接受社会监督，{unit}对{subject}进行了公开。",
    ],
    "village_finance": [
        "根据{basis}和村务公开有关规定，经村务监督委员会审核，现将{subject}公开如下。",
        "为保障村民的知情权、参与权和监督权，{town}{village}村民委员会将{subject}予以公开。",
    ],
    "personnel": [
        "经{town}党委研究决定，现将有关干部职务任免事项通知如下。",
        "根据干部选拔任用有关规定，经民主推荐、组织考察和党委会议研究，现将拟任用人选予以公示。",
    ],
    "notice": [
        "各村（社区）、镇直各单位，广大人民群众：",
        "为做好{subject}有关工作，现将有关事项通知如下。",
    ],
    "news": [
        "{pub_date}，{town}召开专题会议，传达学习县委、县政府关于{topic}的工作部署，研究安排下一阶段工作。",
        "近日，{town}组织镇村干部深入{village}等地，扎实开展{activity}，受到群众好评。",
        "今年以来，{town}{village}把{topic}作为重点工作，党员干部带头，群众积极参与，取得了明显成效。",
    ],
    "report": [
        "本报告根据《中华人民共和国政府信息公开条例》和国务院办公厅政府信息与政务公开办公室有关要求编制，全文包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况等内容。",
    ],
}  # fmt: skip

MIDDLES = {
    "standing": [
        "一、主要职责。负责贯彻执行上级关于{topic}的决策部署，组织实施本辖区相关工作，承办镇党委、政府交办的其他事项。",
        "二、办公地址：{town}人民政府大楼{floor}楼{room}室。办公时间：工作日上午8:00—12:00，下午14:30—17:30。联系电话：{phone}。",
        "三、负责人：{person}。辖区内共有{households}户、{persons}人，下设{n}个村民小组。",
    ],
    "document": [
        "《{town}{topic}管理办法》已经{year}年第{n}次镇政府常务会议研究通过，现印发给你们，请结合实际认真贯彻执行。",
        "一、总体要求。坚持以人民为中心，以{topic}为重点，压实属地责任，确保各项任务按时保质完成。",
        "二、工作措施。各村（社区）要建立工作台账，明确专人负责，每月{day}日前将工作进展报镇{dept}汇总。",
        "三、保障措施。镇财政安排专项经费{amount}元，用于{uses}，对工作成效明显的村给予通报表扬。",
        "本办法自印发之日起施行，有效期{n}年。执行中遇到的问题，请及时向镇{dept}反映。",
    ],
    "interpretation": [
        "一、出台背景。近年来，{town}{topic}工作取得了一定成效，但仍存在责任落实不到位、经费保障不足等问题，有必要制定本办法。",
        "二、主要内容。办法共{n}章{articles}条，明确了工作职责、实施程序、资金管理和监督考核等内容。",
        "三、适用范围。本办法适用于{town}辖区内的{village}等{n}个村（社区）及镇直各单位。",
        "四、执行要点。各村（社区）应于每年{month}月底前报送年度计划，镇{dept}负责审核和监督检查。",
    ],
    "list": [
        "本次共涉及{households}户、{persons}人，发放资金合计{amount}元，其中{village}{part_households}户、{part_amount}元。",
        "名单已在各村（社区）公示栏同步张贴，姓名按规定进行了脱敏处理，公示内容不含身份证号码等个人信息。",
        "公示时间：{pub_date}至{end_date}。公示期间，如有异议，请向{town}{dept}反映，联系电话：{phone}。",
        "经审核，{village}等村新增{part_households}户，停发{stop}户，调整补助标准{adjust}户，每人每月补助标准为{per_capita}元。",
    ],
    "consultation": [
        "一、征求意见时间：{pub_date}至{end_date}。",
        "二、意见反馈方式：可通过信函寄至{town}{dept}（邮编{postcode}），或电话{phone}反映，请注明“意见建议”字样。",
        "三、主要内容：方案明确了{topic}的目标任务、实施步骤和保障措施，计划投入资金{amount}元，预计于{next_year}年底前完成。",
    ],
    "decision": [
        "一、会议研究了{town}{year}年{topic}工作，同意安排资金{amount}元，由镇{dept}牵头组织实施。",
        "二、会议听取了{village}{project}项目进展情况汇报，要求加快施工进度，确保{month}月底前完工。",
        "三、会议审议通过了{town}{topic}实施方案，决定在全镇范围内推广{village}的经验做法。",
    ],
    "projects": [
        "{n}. {village}{project}：计划投资{amount}元，目前已完成工程量的{percent}%，责任单位为镇{dept}。",
        "截至{pub_date}，已完工项目{done}个，在建项目{doing}个，累计完成投资{amount}元。",
    ],
    "tender": [
        "一、项目概况：建设地点位于{town}{village}，主要建设内容为{project}，招标控制价为{amount}元，计划工期{days}日历天。",
        "二、投标人资格要求：具有独立法人资格，具备相应施工资质，近三年无不良行为记录。",
        "三、中标候选人：{company}，投标报价{amount2}元，项目经理{person}。",
        "公示期：{pub_date}至{end_date}。对评标结果有异议的，请在公示期内以书面形式向招标人提出。",
    ],
    "guide": [
        "一、办理依据：{basis}。",
        "二、申请条件：户籍在本镇且符合相关政策规定的居民，可由本人或委托村（社区）代为申请。",
        "三、所需材料：申请书、户口簿、居民身份证复印件及相关证明材料各1份。",
        "四、办理流程：申请—受理—审核—公示—审批，承诺时限{days}个工作日。办理地点：{town}便民服务中心{room}号窗口，咨询电话：{phone}。",
    ],
    "finance": [
        "一、收入情况：{year}年收入合计{income}元，其中一般公共预算拨款{income_a}元，其他收入{income_b}元。",
        "二、支出情况：支出合计{spend}元，其中基本支出{spend_a}元，项目支出{spend_b}元，主要用于{uses}。",
        "三、“三公”经费：公务接待费{amount}元，公务用车运行维护费{amount2}元，因公出国（境）费用为零。",
        "四、资金分配：按照因素法分配到{village}等{n}个村，资金拨付进度为{percent}%。",
    ],
    "village_finance": [
        "一、本期收入{income}元，其中上级补助{income_a}元，集体经营收入{income_b}元。",
        "二、本期支出{spend}元，其中村干部误工补贴{spend_a}元，公益事业支出{spend_b}元，主要用于{uses}。",
        "三、期末结余{balance}元。以上收支均有票据，经村务监督委员会{person}等{n}人审核签字。",
        "村民对公开内容有疑问的，可在公开之日起{days}日内向村务监督委员会或{town}财政所反映，联系电话：{phone}。",
    ],
    "personnel": [
        "任命{person}同志为{town}{dept}主任，免去其{village}党总支书记职务；",
        "{person}，男，{age}岁，大学学历，中共党员，现任{town}{dept}副主任，拟任{town}{dept}主任。",
        "公示时间为{pub_date}至{end_date}。如对拟任用人选有异议，请向{town}纪委反映，电话：{phone}。",
    ],
    "notice": [
        "一、时间安排：{pub_date}至{end_date}，各单位要严格落实值班制度，确保通讯畅通。",
        "二、工作要求：各村（社区）要加强{topic}隐患排查，发现问题及时处置并报镇{dept}，联系电话：{phone}。",
        "三、报名方式：符合条件的人员可携带相关材料到{town}便民服务中心报名，本次共计划招聘{n}名。",
        "因{project}施工需要，{village}部分区域将暂停供水，请广大群众提前做好储水准备，给您带来的不便敬请谅解。",
    ],
    "news": [
        "会议指出，要进一步提高思想认识，压实工作责任，把{topic}各项措施落到实处。",
        "活动中，工作人员通过发放宣传资料、现场讲解等方式，向群众普及{topic}知识，共发放资料{households}份，接受咨询{n}人次。",
        "下一步，{town}将继续加大投入力度，计划安排资金{amount}元，推动{village}{project}等项目早日见效。",
        "镇领导班子成员、各村（社区）党组织书记和镇直各单位负责人参加会议。",
    ],
    "report": [
        "一、总体情况。{year}年，{town}主动公开政府信息{n}条，其中规范性文件{part_households}件，办理政府信息公开申请{stop}件。",
        "二、主要问题和改进情况。公开内容的及时性和规范性仍需提高，下一步将加强培训，完善公开目录。",
        "三、行政复议、行政诉讼情况。全年未发生因政府信息公开引起的行政复议和行政诉讼。",
    ],
}  # fmt: skip

CLOSINGS = {
    "document": "特此通知。",
    "list": "特此公示。",
    "consultation": "特此公告。",
    "tender": "特此公告。",
    "personnel": "特此公示。",
    "notice": "特此通知。",
    "village_finance": "特此公开。",
    "finance": "特此公开。",
}
COMPANIES = ["建设工程有限公司", "水利水电工程有限公司", "市政园林有限公司", "路桥工程有限公司"]


def _money(rng: random.Random, low: int, high: int) -> str:
    return f"{rng.randint(low, high) + rng.randint(0, 99) / 100:.2f}"


def _cn_date(d: date) -> str:
    return f"{d.year}年{d.month}月{d.day}日"


@dataclass
class Place:
    """What a composed text needs to know about where it comes from."""

    town: str  # 白沙镇
    unit: str  # the issuing organisation's label: 白沙镇, 民政办, 东坪村
    dept: str  # a department label of the same township
    villages: list[str]
    org_name: str  # the issuing organisation's full name, for the signature
    phone: str
    postcode: str


class Composer:
    """Draws entries by weight and fills their title and body from one context."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.entries = ENTRIES
        self.cum_weights = []
        total = 0
        for entry in ENTRIES:
            total += entry.weight
            self.cum_weights.append(total)

    def entry(self) -> Entry:
        return self.rng.choices(self.entries, cum_weights=self.cum_weights)[0]

    def person(self) -> str:
        r = self.rng
        return r.choice(SURNAMES) + "".join(r.choices(GIVEN, k=r.randint(1, 2)))

    def context(self, place: Place, village: str, published: date) -> dict[str, str]:
        r = self.rng
        # Reporting periods end before publication: the last month (or the current one),
        # the last completed quarter; yearly items early in a year are about the last year.
        year = published.year - (1 if published.month <= 3 and r.random() < 0.5 else 0)
        month_index = published.year * 12 + published.month - 1 - (r.random() < 0.7)
        quarter_index = published.year * 4 + (published.month - 1) // 3 - 1
        soon = published + timedelta(days=r.randint(1, 3))
        income_a, income_b = r.randint(20_000, 900_000), r.randint(1_000, 300_000)
        spend_a, spend_b = r.randint(10_000, 400_000), r.randint(5_000, 500_000)
        income, spend = income_a + income_b, spend_a + spend_b
        households = r.randint(12, 2_400)
        return {
            "town": place.town, "unit": place.unit, "dept": place.dept, "village": village,
            "year": str(year), "next_year": str(year + 1),
            "qyear": str(quarter_index // 4), "quarter": str(quarter_index % 4 + 1),
            "myear": str(month_index // 12), "month": str(month_index % 12 + 1),
            "soon_month": str(soon.month), "soon_day": str(soon.day),
            "day": str(r.randint(1, 28)), "n": str(r.randint(2, 12)),
            "nth": str(r.randint(9, 13)), "topic": r.choice(TOPICS), "project": r.choice(PROJECTS),
            "fund": r.choice(FUNDS), "item": r.choice(SERVICE_ITEMS), "asset": r.choice(ASSETS),
            "meeting": r.choice(MEETINGS), "activity": r.choice(ACTIVITIES),
            "holiday": r.choice(HOLIDAYS), "campaign": r.choice(CAMPAIGNS),
            "season": r.choice(SEASONS), "name": self.person(), "person": self.person(),
            "basis": r.choice(BASES), "uses": r.choice(USES), "phone": place.phone,
            "org_name": place.org_name,
            "postcode": place.postcode, "pub_date": _cn_date(published),
            "end_date": _cn_date(published + timedelta(days=r.choice((5, 7, 10)))),
            "amount": _money(r, 3_000, 2_000_000), "amount2": _money(r, 1_000, 900_000),
            "income": f"{income:.2f}", "income_a": f"{income_a:.2f}", "income_b": f"{income_b:.2f}",
            "spend": f"{spend:.2f}", "spend_a": f"{spend_a:.2f}", "spend_b": f"{spend_b:.2f}",
            "balance": f"{income - spend + r.randint(50_000, 900_000):.2f}",
            "households": str(households), "persons": str(households * r.randint(2, 4)),
            "part_households": str(r.randint(1, max(1, households // 5))),
            "part_amount": _money(r, 500, 90_000), "stop": str(r.randint(0, 30)),
            "adjust": str(r.randint(0, 20)), "per_capita": str(r.randint(300, 900)),
            "percent": str(r.randint(15, 100)), "done": str(r.randint(1, 6)),
            "doing": str(r.randint(0, 5)), "days": str(r.choice((5, 7, 10, 15, 20, 60, 90, 120))),
            "floor": str(r.randint(1, 4)), "room": str(r.randint(101, 420)),
            "articles": str(r.randint(12, 40)), "age": str(r.randint(29, 52)),
            "company": f"{r.choice(VILLAGE_HEADS)}{r.choice(VILLAGE_TAILS)}{r.choice(COMPANIES)}",
        }  # fmt: skip

    def compose(self, entry: Entry, ctx: dict[str, str]) -> tuple[str, str, str]:
        """(title, summary, body HTML). Bodies hold only <p> and text of our own: already clean."""
        r = self.rng
        title = r.choice(entry.titles).format_map(ctx)
        ctx["subject"] = title.removesuffix("公示").removesuffix("公开").removesuffix("的通知")
        paragraphs = [r.choice(OPENINGS[entry.family]).format_map(ctx)]
        middles = MIDDLES[entry.family]
        k = min(len(middles), r.randint(2, 4))
        paragraphs += [p.format_map(ctx) for p in r.sample(middles, k)]
        closing = CLOSINGS.get(entry.family)
        if closing:
            paragraphs.append(closing)
        paragraphs += [ctx["org_name"], ctx["pub_date"]]
        summary = paragraphs[1][:120] if len(paragraphs[0]) < 30 else paragraphs[0][:120]
        body = "".join(f"<p>{p}</p>" for p in paragraphs)
        return title, summary, body
