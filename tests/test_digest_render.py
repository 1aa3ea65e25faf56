"""Rendering digests: Markdown, email-safe HTML, plain text; reproducible byte for byte."""

from __future__ import annotations

import re

import pytest
from jinja2 import UndefinedError

from assistant.digest.render import Renderer, email_message
from assistant.errors import InvalidInput
from tests import digest_samples


@pytest.fixture
def sample(liaison, extractor):
    ids = digest_samples.build(liaison, extractor)
    return liaison, ids


def test_two_renders_of_a_week_are_byte_identical(sample, settings, extractor):
    from assistant.embed import HashingEmbedder
    from assistant.service import Liaison

    liaison, _ = sample
    first = {
        f: liaison.digests.render(liaison.digests.compose("2026-W44", "cio"), f)
        for f in ("md", "html", "text")
    }
    again = Liaison(settings, embedder=HashingEmbedder(), extractor=extractor)  # a new process
    second = {
        f: again.digests.render(again.digests.compose("2026-W44", "cio"), f)
        for f in ("md", "html", "text")
    }
    assert first == second
    again.db.close()


def test_markdown_links_every_quote_to_its_meeting_moment(sample):
    liaison, ids = sample
    md = liaison.digests.render(liaison.digests.compose("2026-W44", "cio"), "markdown")
    assert md.startswith("# Weekly digest 2026-W44 for the CIO\n")
    assert "## What marketing needs from IT" in md
    qbr = ids["Q4 QBR"]
    assert (
        "> “the marketing engineer role is approved as a joint role, funded from the martech"
        f" line.” — Dana Whitfield · [Q4 QBR, Tue 27 Oct](http://127.0.0.1:8000/app/meetings/{qbr}#t34)"
    ) in md
    assert "**[overdue 3 d]** Send the revised CDP timeline to the steering committee" in md
    assert "**[27 days]** Data warehouse migration" in md
    quotes = [ln for ln in md.splitlines() if ln.lstrip().startswith("> “")]
    assert quotes and all(re.search(r"\]\(http://[^)]+/meetings/\d+#t\d+\)$", q) for q in quotes)


def test_html_is_email_safe_and_escaped(sample):
    liaison, ids = sample
    item = liaison.items()[0][0]
    liaison.update_item(item.id, {"text": "Check <script>alert(1)</script> & <b>fix</b> [x](y)"})
    digest = liaison.digests.compose("2026-W44", "cmo")
    html = liaison.digests.render(digest, "html")
    md = liaison.digests.render(digest, "markdown")
    assert "<table" in html and 'style="' in html
    for banned in ("<style", "<script", "<link", "src=", "@import", "javascript:"):
        assert banned not in html.lower()
    assert "Check &lt;script&gt;alert(1)&lt;/script&gt; &amp; &lt;b&gt;fix&lt;/b&gt;" in html
    # In Markdown the same text cannot open a link or a tag.
    assert "Check \\<script\\>alert(1)\\</script\\> & \\<b\\>fix\\</b\\> \\[x\\](y)" in md
    assert "Product page latency p95" in html and "80% of target" in html


def test_text_version_reads_without_markup(sample):
    liaison, _ = sample
    text = liaison.digests.render(liaison.digests.compose("2026-W44", "cio"), "text")
    assert text.startswith("WEEKLY DIGEST 2026-W44 FOR THE CIO\n")
    assert "* [overdue 3 d] Send the revised CDP timeline to the steering committee" in text
    assert "<" not in text and "**" not in text
    assert re.search(r"  Q4 QBR, Tue 27 Oct: http://127\.0\.0\.1:8000/app/meetings/\d+#t34", text)


def test_email_is_multipart_alternative_text_then_html(sample):
    liaison, _ = sample
    service = liaison.digests
    digest = service.compose("2026-W44", "cio")
    msg = email_message(
        sender="liaison@brightline.example",
        to_name="Dana Whitfield",
        to_address="dana@brightline.example",
        subject=digest.subject,
        text=service.render(digest, "text"),
        html=service.render(digest, "html"),
    )
    assert msg.get_content_type() == "multipart/alternative"
    parts = [p.get_content_type() for p in msg.iter_parts()]
    assert parts == ["text/plain", "text/html"]
    assert msg["Subject"] == digest.subject and "2026-W44" in digest.subject
    assert (
        msg["Message-ID"]
        == email_message(
            sender="x@y",
            to_name="D",
            to_address="DANA@brightline.example",
            subject=digest.subject,
            text="",
            html="",
        )["Message-ID"]
    )


def test_templates_fail_loudly_on_a_missing_variable(tmp_path, sample):
    liaison, _ = sample
    (tmp_path / "digest.md.j2").write_text("{{ d.week }} {{ not_given }}\n")
    with pytest.raises(UndefinedError):
        Renderer(tmp_path).render(liaison.digests.compose("2026-W44", "cio"), "md")
    with pytest.raises(InvalidInput):
        liaison.digests.render(liaison.digests.compose("2026-W44", "cio"), "pdf")
