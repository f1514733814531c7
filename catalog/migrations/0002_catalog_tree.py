"""The disclosure catalog every township starts with, and the 13 standard channels.

Reference data, so it ships as a migration (demo data never does). The top
level follows the seeds and the law; the second level covers the eight
township items of the 2008 条例 art. 12, the 十项重点公开内容, and the areas of
the grassroots standard catalog a township handles. Offices edit the tree in
the admin afterwards.
"""

from django.db import migrations

CHANNELS = [
    "政府网站", "政府公报", "两微一端", "发布会/听证会", "广播电视", "纸质媒体", "公开查阅点",
    "政务服务中心", "便民服务站", "入户/现场", "社区/企事业单位/村公示栏（电子屏）", "精准推送", "其他",
]

REG = "《中华人民共和国政府信息公开条例》"
WEB, BOARD, READING = "政府网站", "社区/企事业单位/村公示栏（电子屏）", "公开查阅点"

# (slug, name, column_type, description, duty) ; duty = dict or None
TREE = [
    ("organization", "机构职能", "机构职能", "镇政府及内设机构的设置、职能、办公地址、办公时间、联系方式和负责人。", [
        ("structure", "机构设置与职能", "机构职能", {
            "content": "机构设置、职能、办公地址、办公时间、联系方式", "basis": REG + "第二十条第（二）项",
            "days": 20, "channels": [WEB, READING], "refresh": "standing"}),
        ("leaders", "领导信息", "负责人信息", {
            "content": "领导姓名、职务、分工", "basis": REG + "第二十条第（二）项",
            "days": 20, "channels": [WEB], "refresh": "standing"}),
        ("villages", "村（社区）概况", "概况信息", None),
    ]),
    ("documents", "法规文件", "政策文件", "规范性文件、政策解读和政务公开工作制度。", [
        ("normative", "规范性文件", "政策文件", {
            "content": "本镇制定的规范性文件及其修改、废止、失效情况", "basis": REG + "第二十条第（一）项",
            "days": 20, "channels": [WEB, READING], "refresh": "ad_hoc"}),
        ("interpretations", "政策解读", "政策解读", {
            "content": "与政策文件同步发布的解读材料", "basis": "《政府网站发展指引》（国办发〔2017〕47号）",
            "days": 3, "channels": [WEB], "refresh": "ad_hoc"}),
        ("disclosure-rules", "政府信息公开制度", "政策文件", None),
        ("rural-policy", "贯彻落实农村工作政策", "政策文件", {
            "content": "贯彻落实国家农业农村政策的措施和情况", "basis": REG + "第二十一条",
            "days": 20, "channels": [WEB, BOARD], "refresh": "ad_hoc"}),
        ("family-planning", "计划生育政策执行情况", "政策文件", {
            "content": "计划生育奖励扶助政策和执行情况", "basis": "2008年《条例》第十二条第（八）项",
            "days": 20, "channels": [WEB, BOARD], "refresh": "periodic", "refresh_days": 365}),
    ]),
    ("decisions", "重大决策", "回应关切", "重大决策的预公开、征求意见和决策结果。", [
        ("consultations", "决策预公开（征求意见）", "征集调查", {
            "content": "决策草案、起草说明、征求意见的方式和期限", "basis": "《重大行政决策程序暂行条例》",
            "days": None, "channels": [WEB, BOARD], "refresh": "ad_hoc"}),
        ("results", "决策结果", "回应关切", {
            "content": "决策结果及意见采纳情况", "basis": REG + "第二十条",
            "days": 20, "channels": [WEB], "refresh": "ad_hoc"}),
        ("land-use", "土地利用规划与宅基地审核", "数据发布", {
            "content": "乡（镇）土地利用总体规划、宅基地使用审核情况", "basis": REG + "第二十一条",
            "days": 20, "channels": [WEB, BOARD], "refresh": "ad_hoc"}),
        ("public-projects", "为民办实事项目", "回应关切", {
            "content": "年度为民办实事项目及其进展、责任人", "basis": "本镇政务公开目录",
            "days": 20, "channels": [WEB, BOARD], "refresh": "periodic", "refresh_days": 90}),
        ("tenders", "工程项目招投标", "数据发布", {
            "content": "重大工程项目招标公告、中标结果、预决算", "basis": REG + "第二十条第（九）、（十）项",
            "days": 20, "channels": [WEB], "refresh": "ad_hoc"}),
    ]),
    ("services", "公共服务", "办事服务", "办事指南和面向群众的公共服务事项。", [
        ("guides", "办事指南", "办事服务", {
            "content": "事项名称、设定依据、申请条件、办理材料、办理地点、办理时间、联系电话、办理流程",
            "basis": REG + "第二十条第（五）项", "days": 20, "channels": [WEB, "便民服务站"],
            "refresh": "standing"}),
        ("social-security", "社会保障", "办事服务", {
            "content": "优抚对象和标准、养老保险、医疗保险办理", "basis": REG + "第二十条第（十一）项",
            "days": 20, "channels": [WEB, BOARD], "refresh": "ad_hoc"}),
        ("employment", "就业服务", "办事服务", {
            "content": "就业岗位信息、技能培训、就业补贴", "basis": REG + "第二十条第（十一）项",
            "days": 20, "channels": [WEB, "便民服务站"], "refresh": "ad_hoc"}),
    ]),
    ("finance", "财务收支", "数据发布", "财政预决算、三公经费、专项资金和村级财务。", [
        ("budget", "预决算", "数据发布", {
            "content": "一般公共预算、政府性基金预算表及说明；空表也须公开并说明",
            "basis": "《中华人民共和国预算法》第十四条；" + REG + "第二十条第（七）项",
            "days": 20, "channels": [WEB, READING], "refresh": "periodic", "refresh_days": 365}),
        ("three-public-expenses", "三公经费", "数据发布", {
            "content": "因公出国（境）费、公务用车购置及运行费、公务接待费及增减原因",
            "basis": "《中华人民共和国预算法》第十四条", "days": 20, "channels": [WEB],
            "refresh": "periodic", "refresh_days": 365}),
        ("special-funds", "专项资金管理使用", "数据发布", {
            "content": "各类专项资金的来源、分配、使用情况", "basis": "2008年《条例》第十二条第（二）项",
            "days": 20, "channels": [WEB, BOARD], "refresh": "periodic", "refresh_days": 90}),
        ("debts", "债权债务与筹资筹劳", "数据发布", {
            "content": "乡（镇）债权债务、筹资筹劳情况", "basis": "2008年《条例》第十二条第（五）项",
            "days": 20, "channels": [WEB, BOARD], "refresh": "periodic", "refresh_days": 365}),
        ("village-finance", "村级财务", "数据发布", {
            "content": "村集体资产、资金收支明细及审计结果", "basis": "《中华人民共和国村民委员会组织法》第三十条",
            "days": None, "channels": [BOARD, WEB], "level": "village", "refresh": "periodic",
            "refresh_days": 90}),
    ]),
    ("key-areas", "重点领域", "数据发布", "民生资金、社会救助、征地补偿、危房改造、涉农补贴等重点领域信息。", [
        ("livelihood-funds", "民生资金", "数据发布", {
            "content": "民生资金的项目、标准、对象和发放情况（个人信息去标识化）",
            "basis": REG + "第二十条第（十一）项", "days": 20, "channels": [WEB, BOARD],
            "refresh": "periodic", "refresh_days": 90}),
        ("social-assistance", "低保、五保与救助", "数据发布", {
            "content": "最低生活保障、特困供养、临时救助的标准、审核对象和结果（公示7个工作日）",
            "basis": "《社会救助暂行办法》；" + REG + "第二十一条", "days": 10,
            "channels": [WEB, BOARD], "audience": "group", "refresh": "periodic", "refresh_days": 90}),
        ("land-compensation", "征地补偿", "数据发布", {
            "content": "征收土地预公告、补偿安置方案、征收土地公告",
            "basis": "《中华人民共和国土地管理法实施条例》第二十六条至第二十八条", "days": 5,
            "channels": [WEB, BOARD], "refresh": "ad_hoc"}),
        ("housing-renovation", "农村危房改造", "数据发布", {
            "content": "危房改造补助对象名单、补助标准和资金发放",
            "basis": "农村危房改造领域基层政务公开标准指引", "days": 20,
            "channels": [WEB, READING, BOARD], "refresh": "ad_hoc"}),
        ("farm-subsidies", "涉农补贴", "数据发布", {
            "content": "补贴政策依据、申请指南、补贴结果、监督渠道",
            "basis": "涉农补贴领域基层政务公开标准指引", "days": 20,
            "channels": [WEB, BOARD], "refresh": "periodic", "refresh_days": 365}),
        ("disaster-relief", "抢险救灾与优抚救济", "数据发布", {
            "content": "抢险救灾、优抚、救济、社会捐助款物的发放情况",
            "basis": "2008年《条例》第十二条第（六）项", "days": 20, "channels": [WEB, BOARD],
            "refresh": "ad_hoc"}),
        ("collective-enterprises", "集体企业承包租赁", "数据发布", {
            "content": "乡镇集体企业及其他经济实体承包、租赁、拍卖情况",
            "basis": "2008年《条例》第十二条第（七）项", "days": 20, "channels": [WEB, BOARD],
            "refresh": "ad_hoc"}),
    ]),
    ("personnel", "人事信息", "机构职能", "干部任免、招录招聘和村（社区）两委选举。", [
        ("appointments", "干部任免", "机构职能", {
            "content": "干部选拔任用、任免信息", "basis": REG + "第二十条", "days": 20,
            "channels": [WEB], "refresh": "ad_hoc"}),
        ("recruitment", "招录招聘", "机构职能", {
            "content": "招录职位、名额、报考条件和录用结果", "basis": REG + "第二十条第（十四）项",
            "days": 20, "channels": [WEB], "refresh": "ad_hoc"}),
        ("village-elections", "村（社区）两委选举", "机构职能", None),
    ]),
    ("news", "工作动态", "工作动态", "政务要闻、通知公告。", [
        ("highlights", "工作要闻", "工作动态", None),
        ("announcements", "通知公告", "工作动态", None),
    ]),
    ("other", "其他", "信息公开目录", "政府信息公开年报和其他需要公开的信息。", [
        ("annual-reports", "政府信息公开年报", "信息公开年报", {
            "content": "上一年度政府信息公开工作年度报告", "basis": REG + "第四十九条、第五十条",
            "days": None, "channels": [WEB], "refresh": "periodic", "refresh_days": 365}),
        ("farmer-burden", "农民负担", "数据发布", None),
        ("fees-and-pledges", "收费标准与服务承诺", "办事服务", {
            "content": "行政事业性收费项目及其依据、标准；服务承诺",
            "basis": REG + "第二十条第（八）项", "days": 20, "channels": [WEB, "便民服务站"],
            "refresh": "standing"}),
        ("case-handling", "违纪案件查处", "回应关切", None),
    ]),
]


def create_tree(apps, schema_editor):
    Channel = apps.get_model("catalog", "Channel")
    CatalogNode = apps.get_model("catalog", "CatalogNode")
    channels = {}
    for position, name in enumerate(CHANNELS, start=1):
        channels[name], _ = Channel.objects.get_or_create(name=name, defaults={"position": position})
    for top_position, (slug, name, column_type, description, children) in enumerate(TREE, start=1):
        top = CatalogNode.objects.create(
            slug=slug, name=name, path=slug, position=top_position * 10,
            column_type=column_type, description=description,
        )
        for position, (child_slug, child_name, child_type, duty) in enumerate(children, start=1):
            duty = duty or {}
            node = CatalogNode.objects.create(
                parent=top, slug=child_slug, name=child_name, path=f"{slug}/{child_slug}",
                position=position * 10, column_type=child_type,
                content_elements=duty.get("content", ""), legal_basis=duty.get("basis", ""),
                deadline_working_days=duty.get("days"),
                audience=duty.get("audience", "public" if duty else ""),
                mode="proactive" if duty else "",
                level=duty.get("level", "township" if duty else ""),
                refresh=duty.get("refresh", ""), refresh_days=duty.get("refresh_days"),
            )
            node.channels.set([channels[c] for c in duty.get("channels", [])])
    # Review chains: finance (village finance included) is co-signed by the
    # supervision group; major decisions go through the leadership group.
    CatalogNode.objects.filter(path="finance").update(needs_supervision=True)
    CatalogNode.objects.filter(path="decisions").update(needs_leadership=True)


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(create_tree, migrations.RunPython.noop)]
