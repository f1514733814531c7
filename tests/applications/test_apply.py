"""Applying without an account: validation, receipt, double submission, rate limit."""

from __future__ import annotations

import re

from django.test import override_settings

from applications.models import Application, ApplicationEvent
from tests import factories
from tests.base import BaseTestCase

APPLY = "/org/qinglan/apply/"


def valid_id() -> str:
    body = "35010219900307123"
    weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, weights, strict=True)) % 11]


def form(**overrides) -> dict:
    data = {
        "submission_key": "k" * 32,
        "applicant_type": "person",
        "name": "王小明",
        "id_type": "resident_id",
        "id_number": valid_id(),
        "phone": "13812341234",
        "email": "wang@example.com",
        "address": "云溪县青岚镇东坪村",
        "description": "2025年东坪村危房改造补助资金发放明细",
        "delivery_form": "electronic",
        "delivery_channel": "email",
    }
    data.update(overrides)
    return data


class ApplyTests(BaseTestCase):
    def test_the_form_asks_for_what_the_law_requires(self) -> None:
        page = self.client.get(APPLY)
        labels = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "姓名或名称",
                  "证件号码", "联系电话", "所需信息", "获取方式"]  # fmt: skip
        for label in labels:
            with self.subTest(label=label):
                self.assertContains(page, label)

    def test_bad_input_is_explained_at_the_field_and_kept(self) -> None:
        response = self.client.post(APPLY, form(id_number="350102199003071235", phone="abc",
                                                description=""))  # fmt: skip
        self.assertEqual(response.status_code, 200)
        self.assertContains(response, "不是有效的居民身份证号")
        self.assertContains(response, "请填写能联系到您的电话号码")
        self.assertContains(response, 'id="id_description_error"')
        self.assertContains(response, 'value="王小明"')
        self.assertContains(response, 'value="350102199003071235"')
        self.assertFalse(Application.objects.exists())

    def test_errors_are_summarised_at_the_top_and_the_summary_takes_the_focus(self) -> None:
        """Issue #11 item 10: on a phone the errors below the fold went unseen."""
        response = self.client.post(APPLY, form(id_number="350102199003071235", phone="abc",
                                                description=""))  # fmt: skip
        html = response.content.decode()
        summary = re.search(r'<div class="error-summary"[^>]*>(.*?)</div>', html, re.S)
        self.assertIsNotNone(summary)
        opening = summary.group(0).split(">", 1)[0]
        for attribute in ('tabindex="-1"', "autofocus", 'aria-labelledby="error-summary-title"'):
            self.assertIn(attribute, opening)
        self.assertIn("申请尚未提交，请更正以下 3 处问题", summary.group(1))
        # One link per problem, in the order of the page, each to its field.
        self.assertEqual(re.findall(r'<a href="#(id_\w+)">', summary.group(1)),
                         ["id_id_number", "id_phone", "id_description"])  # fmt: skip
        self.assertIn("联系电话：请填写能联系到您的电话号码", summary.group(1))
        self.assertLess(html.index("error-summary"), html.index('<form method="post"'))
        self.assertIn("<title>错误：", html)

    def test_each_field_in_error_is_marked_and_points_to_its_message(self) -> None:
        response = self.client.post(APPLY, form(phone="abc", description=""))
        html = response.content.decode()
        phone = re.search(r'<input[^>]*name="phone"[^>]*>', html).group(0)
        self.assertIn('aria-invalid="true"', phone)
        self.assertIn('aria-describedby="id_phone_error"', phone)
        self.assertContains(response, '<p class="error" id="id_phone_error">')
        # The description keeps pointing at its help and at the suggested notices.
        description = re.search(r'<textarea[^>]*name="description"[^>]*>', html).group(0)
        self.assertIn('aria-describedby="id_description_helptext id_description_error '
                      'suggestions"', description)  # fmt: skip
        self.assertContains(response, 'id="id_description_helptext"')
        name = re.search(r'<input[^>]*name="name"[^>]*>', html).group(0)
        self.assertNotIn("aria-invalid", name)  # what is right is not marked

    def test_a_missing_choice_links_to_its_first_button(self) -> None:
        data = form()
        del data["applicant_type"]
        html = self.client.post(APPLY, data).content.decode()
        self.assertIn('<a href="#id_applicant_type_0">申请人类型：', html)
        self.assertIn('<fieldset class="choices" aria-describedby="id_applicant_type_error">',
                      html)  # fmt: skip
        self.assertIn('id="id_applicant_type_error"', html)

    def test_a_record_correction_is_pointed_to_from_the_form_and_the_guide(self) -> None:
        # Art. 41 requests are their own type; a resident who wants a wrong record fixed
        # must find that form, not file an application that table 三 would count.
        for url in ("/apply/", "/guide/"):
            page = self.client.get(url).content.decode()
            self.assertIn('href="/apply/record-correction/"', page, url)

    def test_a_page_without_errors_has_no_summary(self) -> None:
        page = self.client.get(APPLY)
        self.assertNotContains(page, "error-summary")
        self.assertNotContains(page, "aria-invalid")

    def test_resident_id_is_preselected_for_a_natural_person(self) -> None:
        html = self.client.get(APPLY).content.decode()
        select = re.search(r'<select name="id_type".*?</select>', html, re.S).group(0)
        self.assertNotIn("---------", select)
        self.assertRegex(select, r'<option value="resident_id" selected>居民身份证</option>')

    def test_the_five_kinds_of_organisation_are_grouped(self) -> None:
        """其他 is one of the organisations, not another kind of applicant."""
        html = self.client.get(APPLY).content.decode()
        group = re.search(r'<fieldset class="choice-group"><legend>法人或其他组织</legend>(.*?)'
                          r"</fieldset>", html, re.S)  # fmt: skip
        self.assertIsNotNone(group)
        labels = re.findall(r"<label[^>]*>\s*<input[^>]*>\s*([^<]+?)\s*</label>", group.group(1))
        self.assertEqual(labels, ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"])
        self.assertNotIn("自然人", group.group(1))

    def test_an_organisation_applies_with_its_licence(self) -> None:
        data = form(applicant_type="other", name="东坪村老年协会", id_type="licence",
                    id_number="51350925MJ0000000X")  # fmt: skip
        response = self.client.post(APPLY, data)
        self.assertEqual(response.status_code, 302)
        self.assertEqual(Application.objects.get().applicant_type, "other")

    def test_email_delivery_needs_an_address(self) -> None:
        response = self.client.post(APPLY, form(email=""))
        self.assertContains(response, "请填写电子邮箱")

    def test_success_gives_a_code_and_a_receipt_not_in_the_url(self) -> None:
        response = self.client.post(APPLY, form())
        self.assertEqual(response.status_code, 302)
        self.assertEqual(response["Location"], "/org/qinglan/apply/receipt/")
        application = Application.objects.get()
        self.assertEqual(
            (application.township, application.status, application.channel),
            (self.township, "pending", "online"),
        )
        self.assertNotIn(application.tracking_code, response["Location"])
        receipt = self.client.get(response["Location"])
        self.assertContains(receipt, application.tracking_code)
        self.assertContains(receipt, "王*明")
        self.assertNotContains(receipt, valid_id())
        self.assertNotContains(receipt, "13812341234")
        self.assertContains(receipt, "138****1234")
        self.assertEqual(application.events.get().action, ApplicationEvent.Action.SUBMITTED)

    def test_a_resubmitted_form_makes_one_application(self) -> None:
        self.client.post(APPLY, form())
        again = self.client.post(APPLY, form())
        self.assertEqual(again.status_code, 302)
        self.assertEqual(Application.objects.count(), 1)

    @override_settings(APPLY_RATE_LIMIT=3)
    def test_anonymous_submissions_are_rate_limited_per_address(self) -> None:
        for i in range(3):
            self.assertEqual(self.client.post(APPLY, form(submission_key=f"{i}" * 32))
                             .status_code, 302)  # fmt: skip
        response = self.client.post(APPLY, form(submission_key="x" * 32))
        self.assertEqual(response.status_code, 429)
        self.assertContains(response, "尝试次数过多", status_code=429)
        other = self.client.post(APPLY, form(submission_key="y" * 32), REMOTE_ADDR="10.9.9.9")
        self.assertEqual(other.status_code, 302)  # another address is not affected

    def test_suggestions_come_from_published_notices_only(self) -> None:
        factories.notice(self.civil, title="2025年东坪村危房改造补助名单公示")
        factories.notice(self.civil, title="危房改造草稿", published=False)
        response = self.client.get("/org/qinglan/apply/suggest/", {"q": "危房改造"})
        titles = [r["title"] for r in response.json()["results"]]
        self.assertEqual(titles, ["2025年东坪村危房改造补助名单公示"])
