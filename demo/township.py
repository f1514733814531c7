"""The demo township's organisations, people and site profile (fictional)."""

from __future__ import annotations

DEMO_PASSWORD = "qinglan-demo-2026"

COUNTY = {
    "key": "county",
    "slug": "yunxi",
    "name": "云溪县人民政府",
    "short_name": "云溪县",
    "kind": "county",
    "credit_code": "11350925MB1870460Q",
    "address": "云溪县城关镇府前路1号",
    "phone": "0596-5120000",
}

TOWNSHIP = {
    "key": "township",
    "slug": "qinglan",
    "name": "青岚镇人民政府",
    "short_name": "青岚镇",
    "kind": "township",
    "credit_code": "11350925003580712K",
    "address": "云溪县青岚镇青岚街58号",
    "postcode": "363600",
    "office_hours": "工作日上午8:00—12:00，下午14:30—17:30（法定节假日除外）",
    "phone": "0596-5261001",
    "fax": "0596-5261009",
    "email": "qlzzfb@yunxi.example.gov.cn",
    "head_name": "林志远",
    "functions": "贯彻执行上级政策，负责本镇经济社会发展规划、财政预决算、社会救助、"
    "农业农村、自然资源、安全生产和公共服务等工作。",
}

# key, slug, name, short name, kind, extra fields
DEPARTMENTS = [
    (
        "office",
        "qinglan-office",
        "青岚镇党政综合办公室",
        "党政办",
        {
            "address": "云溪县青岚镇青岚街58号镇政府大楼一层103室",
            "postcode": "363600",
            "office_hours": "工作日上午8:00—12:00，下午14:30—17:30（法定节假日除外）",
            "phone": "0596-5261003",
            "fax": "0596-5261009",
            "email": "qlzxxgk@yunxi.example.gov.cn",
            "head_name": "陈雅琴",
            "functions": (
                "负责镇党委、政府日常运转，承担政务公开、信息公开申请办理"
                "和公开指南、目录、年报的编制。"
            ),
        },
    ),
    (
        "civil",
        "qinglan-civil",
        "青岚镇民政办公室",
        "民政办",
        {
            "phone": "0596-5261012",
            "head_name": "王建华",
            "functions": "负责最低生活保障、特困供养、临时救助、优抚安置、养老服务和社会事务。",
        },
    ),
    (
        "finance",
        "qinglan-finance",
        "青岚镇财政所",
        "财政所",
        {
            "phone": "0596-5261015",
            "head_name": "郑丽萍",
            "functions": "负责镇级预算编制和执行、决算、惠农资金发放和村级财务监管。",
        },
    ),
    (
        "agri",
        "qinglan-agri",
        "青岚镇农业农村办公室",
        "农业农村办",
        {
            "phone": "0596-5261018",
            "head_name": "黄志强",
            "functions": "负责农业生产、涉农补贴、农田水利、农村土地承包和农村人居环境整治。",
        },
    ),
    (
        "land",
        "qinglan-land",
        "青岚镇自然资源所",
        "自然资源所",
        {
            "phone": "0596-5261021",
            "head_name": "刘海涛",
            "functions": "负责土地利用规划、宅基地审核、征地补偿和地质灾害防治。",
        },
    ),
    (
        "social",
        "qinglan-social",
        "青岚镇社会事务办公室",
        "社会事务办",
        {
            "phone": "0596-5261024",
            "head_name": "吴晓燕",
            "functions": "负责教育、卫生健康、文化、就业和社会保障事务。",
        },
    ),
    (
        "safety",
        "qinglan-safety",
        "青岚镇应急管理办公室",
        "应急管理办",
        {
            "phone": "0596-5261027",
            "head_name": "许文斌",
            "functions": "负责安全生产监督、防汛抗旱、森林防火和抢险救灾。",
        },
    ),
]

VILLAGES = [
    ("v-dongping", "dongping", "青岚镇东坪村民委员会", "东坪村", "village"),
    ("v-xiling", "xiling", "青岚镇西岭村民委员会", "西岭村", "village"),
    ("v-nantang", "nantang", "青岚镇南塘村民委员会", "南塘村", "village"),
    ("v-beiao", "beiao", "青岚镇北坳村民委员会", "北坳村", "village"),
    ("c-qinglan", "qinglan-community", "青岚镇青岚社区居民委员会", "青岚社区", "community"),
]

OTHER_UNITS = ["office", "agri", "land", "safety", "township",
               "v-dongping", "v-xiling", "v-nantang", "v-beiao", "c-qinglan"]  # fmt: skip

# username, full name, [(org key, role, post)], superuser
PEOPLE = [
    ("clerk", "李秀梅", [("civil", "clerk", "民政办工作人员")], False),
    ("clerk2", "张国栋", [("finance", "clerk", "财政所会计")], False),
    (
        "clerk3",
        "王丽",
        [(key, "clerk", "党政办信息员") for key in OTHER_UNITS]
        + [("social", "clerk", "党政办信息员")],
        False,
    ),
    ("leader", "周明辉", [("civil", "leader", "副镇长"), ("social", "leader", "副镇长")], False),
    ("leader2", "郭春燕", [("finance", "leader", "副镇长")], False),
    ("leader3", "陈志刚", [(key, "leader", "党委副书记") for key in OTHER_UNITS], False),
    ("office", "陈雅琴", [("office", "publisher", "党政办主任")], False),
    ("supervisor", "许振华", [("township", "supervisor", "镇人大主席、监督小组组长")], False),
    ("group", "林志远", [("township", "leadership", "镇长、领导小组组长")], False),
    ("admin", "系统管理员", [], True),
]

SITE = {
    "name": "青岚镇人民政府政务公开",
    "domain": "www.yunxi.example.gov.cn",
    "site_id_code": "3509250017",
    "organiser": "云溪县青岚镇人民政府",
    "contact": "0596-5261003",
    "icp_number": "闽ICP备00000000号-1",
    "police_record_number": "闽公网安备 35092502000000号",
    "guide_classification": (
        "本镇主动公开的政府信息按公开目录分为机构职能、法规文件、重大决策、公共服务、财务收支、"
        "重点领域、人事信息、工作动态和其他九类，每类下设若干子目录。\n"
        "每条信息标注索引号、发布机构、文号、成文日期、发布日期、主题分类和有效性，"
        "在同一目录下按发布时间由近及远排列。"
    ),
    "guide_how_to_obtain": (
        "主动公开的信息可在本网站按目录浏览、检索和下载附件，也可到镇便民服务中心公开查阅点、"
        "各村（社区）公开栏查阅。\n"
        "属于主动公开范围的信息，自形成或者变更之日起20个工作日内予以公开；"
        "法律、法规对期限另有规定的，从其规定。"
    ),
    "guide_application": (
        "公民、法人或者其他组织可以向本镇申请获取主动公开以外的政府信息。"
        "申请可通过本网站在线提交，也可以当面、邮寄或传真提交书面申请，写明申请人姓名或者名称、"
        "身份证明、联系方式，所需信息的名称、文号或者便于查询的其他特征性描述，以及获取信息的方式。\n"
        "能够当场答复的当场答复；不能当场答复的，自收到申请之日起20个工作日内答复，"
        "需要延长的经负责人同意可延长，延长期限最长不超过20个工作日。"
    ),
    "guide_remedies": (
        "认为本镇在政府信息公开工作中侵犯其合法权益的，可以向云溪县人民政府政务公开办公室投诉、举报，"
        "也可以依法申请行政复议或者提起行政诉讼。"
    ),
}
