"""Write the sample meetings into assistant/data/samples/: `.venv/bin/python bench/make_samples.py`.

Four meetings of one fictional company, Brightline Outdoor (a retailer): the words are below, one
line per turn as `CODE: text`; each meeting is rendered in the layout its tool exports (Zoom VTT,
Otter text, a generic JSON list, a Teams .docx). Timings are synthetic: ~150 words a minute.
"""

from __future__ import annotations

import io
import json
import random
import sys
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run as a plain script from a checkout, installed or not

from assistant.ingest.timecode import format_timecode  # noqa: E402

SPEAKERS = {
    "D": "Dana Whitfield",  # CIO
    "M": "Marcus Lee",  # CMO
    "P": "Priya Shah",  # marketing operations
    "S": "Sam Ortiz",  # IT data engineering
    "E": "Elena Park",  # finance business partner (QBR only)
}

WEEKLY_SYNC_1 = """
D: Morning, everyone. Let's get started, we have four things today: the CDP choice, consent and privacy, SSO for the marketing tools, and the MQL definition.
M: Sounds good. I also want two minutes on attribution if there's time.
D: Noted. Sam, you ran the vendor comparison, so you go first on the CDP.
S: Sure. We shortlisted Segment and mParticle. Both have the connectors we need for HubSpot, Shopify and the data warehouse. Segment's API is simpler and our engineers already know it. mParticle has stronger consent tooling, but the implementation estimate is about six weeks longer.
P: From the marketing ops side, Segment's audience builder is easier for my team. We tested it with the fall catalogue list and built the segment in ten minutes.
M: And cost?
S: Segment is priced on monthly tracked users. At our current volume it's roughly in budget. If we grow past two million profiles it gets expensive.
D: Okay. Given the timeline for the holiday campaigns, I'm comfortable. We'll go with Segment as the CDP.
M: Agreed. Segment it is.
D: Sam, please start the contract review with procurement this week.
S: Will do. I'll get the contract to procurement by Thursday.
D: Next, consent and privacy. Priya, where are we on the consent banner?
P: The new banner is live on the main site. It records consent per purpose, analytics, advertising and personalization, and sends it over the API to the email platform. What we don't have yet is a retention rule. Legal asked how long we keep behavioural data for people who never buy.
D: That's on me. We have a draft data-retention policy from the security team. I'll send the data-retention policy to legal by next Wednesday.
M: Good. Related to that, I have to confess something. The content team started using Hotjar on the landing pages. Nobody asked IT, they put the script in through the tag manager.
S: Yes, I saw it in the network logs last week. It records sessions, including form fields, so that's a privacy problem, not just a shadow IT problem.
D: Right. I don't want to punish anyone, but we need to know what else is out there. Priya, could you make a list of every marketing tool that touches customer data, with owner and whether it has a data processing agreement? End of next week would be great.
P: Yes, I can do the inventory by end of next week.
M: And in the meantime we mask form fields in Hotjar. Priya, can you ask the content team to switch that on today?
P: I'll do it right after this call.
D: Thanks. Third item, SSO. Right now people log into HubSpot, Canva and the ad platforms with separate passwords, and two of the accounts are shared logins. That's our biggest audit finding.
S: Okta already supports HubSpot out of the box. It's mostly configuration, plus mapping the user roles.
D: Sam, can you set up the SSO integration for HubSpot by Friday?
S: Yes, HubSpot by Friday is doable. The ad platforms will take longer because each one needs a business manager change.
M: Fine. HubSpot first. Priya, you'll need to tell your team they'll be logged out once.
P: I'll send a heads-up to the team on Thursday.
D: Last planned item: the MQL definition. Marcus, your team and sales still disagree?
M: A bit. Sales says we send them junk. Right now anything above a score of forty becomes a marketing qualified lead. Priya ran the numbers.
P: When we look at the last two quarters, leads scored sixty or more convert to sales qualified leads at three times the rate. Below sixty, the SQL conversion is under five percent.
S: Just so I get the jargon right, SQL here means sales qualified lead, not the database language?
M: Sales qualified lead. We confuse the new hires with that every quarter.
D: So the proposal is to raise the threshold to sixty?
M: Yes. Let's agree that an MQL needs a score of 60. And we keep the SLA with sales: they follow up on every MQL within one business day.
D: Agreed from my side. Priya, the scoring rules live in HubSpot, right?
P: Right. I'll update the scoring workflow once the SSO switch is done, so we don't do it twice.
M: Now attribution. Everyone wants return on ad spend by channel, ROAS, and our last-click numbers are misleading. I'd like to move to a multi-touch attribution model.
S: We could, but the data isn't there yet. Until the CDP stitches web and email identities, any multi-touch model is guesswork.
D: Then let's park the attribution model question for now. We'll come back to it when Segment is sending data.
M: Fine, park it. But I need an answer before the board meeting in November.
S: One more thing from IT. The warehouse is still on the old cluster, and the ETL jobs for marketing take four hours every night. At some point we need to migrate to the new data warehouse.
D: That's a big project. Let's put the data warehouse migration in the parking lot until the CDP is done.
S: Okay, parking lot.
D: Quick recap. Segment is our CDP. An MQL needs a score of sixty. Sam sets up HubSpot SSO by Friday and sends the contract to procurement. I send the retention policy to legal by next Wednesday. Priya does the tool inventory by end of next week. Attribution and the warehouse migration are parked.
M: That's it. Thanks, everyone.
"""  # noqa: E501

WEEKLY_SYNC_2 = """
D: Okay, let's start. Status on last week's actions first. Sam?
S: The SSO integration for HubSpot is finished. Everyone on the marketing team logged in through Okta on Monday, and we removed the two shared accounts.
P: Only one person got locked out, and that was my fault for sending the heads-up too late.
D: Great work. I sent the data-retention policy to legal on Tuesday. They came back with two comments, nothing blocking.
M: And the tool inventory?
P: Done on Friday. We found fourteen tools touching customer data. Three have no data processing agreement, Hotjar is one of them. Hotjar form masking is on now.
D: Good. Now the CDP. Sam, you said you found something in the Segment contract.
S: Yes. Procurement got the final quote. Segment counts anonymous visitors as tracked users, so with our traffic we'd be at about two point four million, not one point two. That doubles the price. mParticle's quote is flat for three years, and their consent module would replace what Priya built by hand.
M: So the cheap option isn't cheap.
P: And honestly, the consent module matters more to me than the audience builder. I can live with a learning curve.
D: What does it do to the timeline?
S: If we sign this month, profiles could be live in early December instead of mid-November. The holiday campaign would run on the old lists.
M: I can accept that, as long as the January campaigns run on the new profiles.
D: Then let's be clear, since this reverses last week. Instead of Segment we'll go with mParticle after all. Sam, please tell procurement.
S: I'll tell procurement today and ask for the mParticle contract by Friday.
M: Agreed. And I want to bring back the attribution model question. The board pack is due in three weeks and they asked for ROAS by channel.
D: I know. But the reason we parked it hasn't changed, the data isn't stitched yet.
M: Understood, but I can't show last-click numbers to the board again.
S: What I could do is a simple position-based model on the data we have, clearly labelled as an estimate.
D: Let's not decide it in the weekly. Marcus, let's take attribution to our one-on-one next week and decide there, with Sam and Priya joining.
M: Okay, next week then.
P: On the MQL change, the threshold of sixty is live in HubSpot since Wednesday. Sales accepted forty-two MQLs this week, compared to a usual ninety, but they called back almost all of them.
M: That's what we wanted. Fewer, better leads.
D: Anything on shadow IT beyond Hotjar?
P: Two more. The events team uses a free survey tool, and someone signed up for an AI writing assistant with a company card.
D: We need a simple request process, otherwise this keeps happening. Marcus, could your team and mine agree on a one-page tool request form?
M: Yes. I'll talk to the content team about the tool request process.
D: Thanks. Sam, anything else?
S: The ETL job failed twice this week because of an API rate limit on the ad platform. I added a retry, but the real fix is the warehouse migration, which is still in the parking lot.
D: It stays there for now. Let's look at it in January.
M: New actions then. Priya, can you draft the MQL scoring rules for the product-interest signals by October 20?
P: Yes, October 20 works.
D: And Sam, please write up the mParticle integration plan, with the consent migration, by next Monday.
S: Integration plan by next Monday, got it.
D: Okay. Recap: SSO for HubSpot is done, the retention policy is with legal, the inventory is done. We switch to mParticle. Attribution goes to the one-on-one. The warehouse migration stays parked. Thanks, everyone.
"""  # noqa: E501

MONTHLY_1ON1 = """
D: Thanks for making time, Marcus. Two topics today: the budget split for next year, and the attribution question we promised to settle. Priya and Sam join us for the second half.
M: Good. Let's start with money. Finance wants one martech line instead of two.
D: I'm fine with that in principle. Today IT pays for Okta, the warehouse and integration work, and marketing pays for HubSpot and the ad tools. The CDP sits in between.
M: My proposal: the mParticle licence is split sixty-forty, marketing sixty, because we get most of the direct value. IT carries the implementation cost.
D: That's fair, as long as the run cost after go-live is also shared the same way.
M: Agreed. So we'll split the mParticle licence sixty-forty, marketing sixty, including run cost.
D: Decided. The other budget point is headcount. I'd like a marketing engineer who reports to Sam but sits with Priya's team.
M: I like it. It fixes the problem that every landing page change waits in the IT queue. Campaign launches take three weeks today, I want that closer to ten days.
D: Then we write it into the budget as a joint role. I'll prepare the role description.
M: And I'll send the revised budget to finance by the end of the month.
D: Good. One more thing, the page latency. Our SLA says one point two seconds at p95 and we're at one point eight. Most of it is third-party scripts from marketing.
M: How many scripts?
D: Twenty-three tags on the product pages. Some are from campaigns that ended last year.
M: Then we remove what isn't used. Priya will know which ones are dead.
P: Hi, sorry, we're joining now.
S: Hello.
D: Perfect timing. Priya, Marcus just volunteered you to remove dead tags from the product pages.
P: Happy to. I already have a list, about nine tags are from old campaigns.
D: Great. Now attribution. We parked it twice. Sam, you had a proposal last week.
S: Yes. With mParticle, web and email identities are stitched from December. Until then we can run a position-based model on the data in the warehouse, forty percent to the first touch, forty to the last, and twenty spread over the middle.
P: That's what most of our peers use, and sales understands it better than data-driven models.
M: What I need for the board is ROAS by channel with a clear caveat. Not perfection.
D: Then let's settle it. We'll use a position-based attribution model, forty-twenty-forty, starting with the warehouse data and switching to mParticle profiles once they're live.
M: Agreed. That closes the attribution question.
S: I'll need the campaign cost data from the ad platforms in the warehouse. Today it only has clicks.
P: I can export the costs weekly until the connector is ready.
M: Sam, can you have the attribution dashboard prototype ready by the end of the month?
S: A prototype by the end of the month, yes, with Priya's cost exports.
D: Anything that might slip?
S: The consent migration. If legal changes the retention rules again, I have to redo the mapping.
D: I'll check with legal this week so we know.
M: While we're all here, the Hotjar question. Legal wants a data processing agreement or we remove it.
P: The content team likes the heatmaps, but they only look at them once a month.
S: Our analytics tool already does scroll depth and click maps. It's not as pretty, but it's covered by our existing agreement.
M: Then let's drop Hotjar at the end of the quarter and use the analytics heatmaps instead. I'll tell the content team myself.
D: Good, that also removes one script from the product pages.
P: I'll add it to the list of tags to remove.
D: Last thing from me: the uptime report. We had one incident in October, the checkout API was down for eighteen minutes during the flash sale.
M: My team noticed. The campaign emails went out while it was down.
S: We've added an alert on the API error rate, and the release freeze now covers campaign launch days.
M: Could we get the campaign calendar into the change calendar, so IT knows when the big sends are?
D: Yes, that's easy. Priya, share the campaign calendar with Sam's team every Monday.
P: Will do, starting next Monday.
M: Good. I think we're done. Thanks, all.
"""  # noqa: E501

QBR = """
D: Welcome to the quarterly business review. Elena from finance joins us today. We review the four shared goals, the KPIs, and what's at risk.
E: Thanks for having me. I mostly want to understand the numbers behind the budget request.
D: First goal, the customer data platform. Sam.
S: The mParticle contract was signed on October 24, so the milestone vendor chosen is done. Unified profiles are at thirty-five percent of active customers, the target is ninety. The milestone profiles live by December 1 is at risk.
M: What's the risk exactly?
S: The consent migration. Legal changed the retention rules again last week, so the mapping has to be redone. I estimate two more weeks.
D: Then we say it plainly: the December 1 milestone is at risk. Let's move the date to December 15 and tell the board now rather than later.
M: Agreed, December 15. The January campaigns still work with that.
D: Second goal, MQL to SQL conversion. Priya.
P: Since we raised the MQL threshold to sixty, conversion from MQL to SQL went from eleven percent to eighteen percent. The target is twenty-five. Volume dropped by half, which is expected. Sales follows up within one business day on ninety-four percent of MQLs, the SLA target is ninety-five.
E: Is the pipeline value down as well?
P: No, pipeline value is up six percent. Fewer leads, better ones.
M: I'd like to push this further. We'll add product-interest signals to the score in November.
D: Third goal, campaign launch time. Marcus.
M: Average time from brief to launch is twenty-one days. Target is ten. The marketing engineer role would help, and the template library that IT is building.
S: The template library is done for landing pages. Email templates are next.
M: So the milestone template library, landing pages, is done. The email part is open.
D: Fourth goal, page latency. We're at one point five seconds at p95, down from one point eight, because Priya removed nine dead tags. The SLA target is one point two. Uptime was ninety-nine point nine five percent, target ninety-nine point nine.
E: What does it take to get to one point two?
D: The CDN change and lazy loading for the review widgets. Sam's team can do the CDN in November.
S: Yes, the CDN switch is planned for the week of November 16.
M: And the review widgets are ours, so Priya can own the lazy loading change with the agency.
P: The agency quoted two weeks. I'd rather do it after the holiday freeze, so early January.
D: That means we miss the latency target this quarter. I'd rather say that now too.
E: For the budget, what matters is whether the latency affects conversion.
P: It does. Our tests show about one percent fewer checkouts for every additional half second on the product page.
E: Then I understand why it's a shared goal. That's revenue, not just IT hygiene.
M: One more KPI that isn't on the slide. Return on ad spend for the holiday campaigns, using the new position-based attribution, is three point one. Last-click said four point five, which was too flattering.
D: That's a good example of why we settled the attribution model. The board will see the honest number.
S: The dashboard prototype is live, by the way. It refreshes every night after the ETL run.
D: Now decisions for next quarter. Elena, on the budget.
E: Finance can approve the joint martech line if the mParticle licence split is documented.
M: It's sixty-forty, marketing sixty, including run cost. We decided that in the one-on-one.
E: Then please send me the signed split.
D: Let's decide: the marketing engineer role is approved as a joint role, funded from the martech line.
M: Agreed.
D: Actions. Sam, can you send the revised CDP timeline to the steering committee by Friday?
S: By Friday, yes.
M: Priya, please have the product-interest signals in the lead score by November 30.
P: November 30 works.
D: I'll send Elena the signed licence split by next Tuesday.
E: Thank you.
M: One snag before we close. The data warehouse migration keeps coming up, and the ETL failures cost us twice this quarter.
D: It's still in the parking lot. Let's keep it there until the CDP is live, and put it on the January agenda.
E: From finance, if the migration needs budget, I'd need a business case by February for the next cycle.
D: Noted. Sam, keep that in mind when we pick it up in January.
S: Fine by me.
D: Good. Summary: CDP milestone at risk, new date December 15. Conversion is eighteen against a target of twenty-five. Launch time twenty-one days against ten. Latency one point five against one point two. The marketing engineer role is approved. Thanks, everyone.
"""  # noqa: E501

MEETINGS = {
    "2026-10-06-weekly-sync.vtt": WEEKLY_SYNC_1,
    "2026-10-13-weekly-sync.txt": WEEKLY_SYNC_2,
    "2026-10-20-monthly-1on1.json": MONTHLY_1ON1,
    "2026-10-27-qbr.docx": QBR,
}


# ---------------------------------------------------------------------------------------------
# Rendering: one function per tool layout.

OUT = ROOT / "assistant" / "data" / "samples"
WORDS_PER_S = 2.6
MAX_CUE_WORDS = 16  # Zoom cuts captions at about this length


@dataclass
class Line:
    speaker: str
    text: str
    start: float
    end: float


def timed_lines(script: str, seed: int) -> list[Line]:
    """Give each turn a start and end: speech at ~150 wpm, short pauses between speakers."""
    rng = random.Random(seed)
    t = rng.uniform(1.0, 3.0)
    lines = []
    for raw in script.strip().splitlines():
        code, text = raw.split(": ", 1)
        duration = len(text.split()) / WORDS_PER_S
        lines.append(Line(SPEAKERS[code], text, round(t, 3), round(t + duration, 3)))
        t += duration + rng.uniform(0.3, 1.5)
    return lines


def split_cues(line: Line) -> list[tuple[float, float, str]]:
    """Cut one turn into caption-sized pieces, at sentence ends or after MAX_CUE_WORDS words."""
    pieces: list[list[str]] = [[]]
    for word in line.text.split():
        pieces[-1].append(word)
        if len(pieces[-1]) >= MAX_CUE_WORDS or word.endswith((".", "?", "!")):
            pieces.append([])
    pieces = [p for p in pieces if p]
    total = sum(len(p) for p in pieces)
    out, t = [], line.start
    for p in pieces:
        span = (line.end - line.start) * len(p) / total
        out.append((round(t, 3), round(t + span, 3), " ".join(p)))
        t += span
    return out


def render_zoom_vtt(lines: list[Line]) -> str:
    """Zoom: `WEBVTT`, then numbered cues with `Name: text`."""
    blocks = ["WEBVTT"]
    n = 0
    for line in lines:
        for start, end, text in split_cues(line):
            n += 1
            timing = f"{format_timecode(start)} --> {format_timecode(end)}"
            blocks.append(f"{n}\n{timing}\n{line.speaker}: {text}")
    return "\n\n".join(blocks) + "\n"


def _clock(seconds: float) -> str:
    """Otter's clock: `0:03`, `12:45`, `1:02:03`."""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    m, s = divmod(rest, 60)
    return f"{h}:{m:02d}:{s:02d}" if h else f"{m}:{s:02d}"


def render_otter_txt(lines: list[Line]) -> str:
    """Otter: `Name  m:ss` header, the text on the next line, a blank line."""
    return (
        "\n\n".join(f"{line.speaker}  {_clock(line.start)}\n{line.text}" for line in lines) + "\n"
    )


def render_generic_json(lines: list[Line]) -> str:
    """A plain list of {speaker, text, start, end}."""
    items = [
        {"speaker": ln.speaker, "text": ln.text, "start": ln.start, "end": ln.end} for ln in lines
    ]
    return json.dumps(items, indent=2, ensure_ascii=False) + "\n"


def _teams_clock(seconds: float) -> str:
    """Teams .docx clock: `0:0:3.1` (no zero padding, one decimal)."""
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    return f"{int(h)}:{int(m)}:{s:.1f}"


def render_teams_docx(lines: list[Line], title: str, when: datetime) -> bytes:
    """Teams classic download: title, date, then `start --> end` / speaker / text paragraphs."""
    import docx

    document = docx.Document()
    document.core_properties.title = title
    document.core_properties.author = "Microsoft Teams"
    document.core_properties.created = when
    document.core_properties.modified = when
    document.add_paragraph(f"{title} - Transcript")
    document.add_paragraph(when.strftime("%B %-d, %Y, %-I:%M%p"))
    for line in lines:
        document.add_paragraph(f"{_teams_clock(line.start)} --> {_teams_clock(line.end)}")
        document.add_paragraph(line.speaker)
        document.add_paragraph(line.text)
    buf = io.BytesIO()
    document.save(buf)
    return buf.getvalue()


def main() -> None:
    """Write the four sample meetings into assistant/data/samples/."""
    OUT.mkdir(parents=True, exist_ok=True)
    for seed, (name, script) in enumerate(MEETINGS.items()):
        lines = timed_lines(script, seed)
        path = OUT / name
        if name.endswith(".vtt"):
            path.write_text(render_zoom_vtt(lines), encoding="utf-8")
        elif name.endswith(".txt"):
            path.write_text(render_otter_txt(lines), encoding="utf-8")
        elif name.endswith(".json"):
            path.write_text(render_generic_json(lines), encoding="utf-8")
        else:
            when = datetime(2026, 10, 27, 15, 0)
            path.write_bytes(render_teams_docx(lines, "Q4 QBR: IT and Marketing", when))
        words = sum(len(ln.text.split()) for ln in lines)
        print(f"{path.relative_to(ROOT)}: {len(lines)} turns, {words} words")


if __name__ == "__main__":
    main()
