"""Words and phrasings that signal an item, or rule one out.

Commitments ("I'll", "leave it with me"), requests and their answers, decisions and proposals,
deferrals, recaps, and the negatives: hypotheticals, questions, decisions retold from the past,
meeting mechanics ("I'll share my screen"). Compiled once; used by the conversation patterns
(`dialogue.py`), the item scorer's features (`candidates.py`) and the phrasing of item texts.
"""

from __future__ import annotations

import re

I = re.IGNORECASE  # noqa: E741 - a flag, read as "ignore case"

SELF_COMMIT = re.compile(
    r"\b(?:i'll|i will|i'm going to|i am going to|i'm gonna|i can have|i can get|i can do|"
    r"i can send|i can take|i can own|i can draft|i can set|i can put|i can book|i can check|"
    r"i can write|i can share|i can prepare|i can run|i can follow|i can reach|i can loop|"
    r"let me (?:check|follow|find|draft|write|send|ask|talk|set|reach|look into|get|take|"
    r"put|book|pull|sort|chase|confirm|sync|loop|update|ping|open|review|fix|add|test|merge|"
    r"post|create|file|double-check|investigate|figure out|dig into|put together)|"
    r"i can (?:open|update|add|review|fix|test|merge|post|create|file|look into|ping|write up|"
    r"put together|double-check|investigate|follow up)|i'll take (?:that|it|this)|i'll own|"
    r"i'm on it|^\W*on it\b|leave it with me|leave that with me|that's on me|that one's on me|"
    r"that is on me|i volunteer|i'll sort|i will make sure|i'll make sure|i'll get|"
    r"i'll handle|my team will|we'll take care|i've got (?:it|this|that)|i got (?:it|this))",
    I,
)
# Commitments that point back at what was just asked or discussed: their task is there.
BACK_REFERENCE = re.compile(
    r"^\W*(?:(?:yes|yeah|sure|okay|ok|fine|yep|absolutely|definitely)\W+)*"
    r"(?:leave it with me|leave that with me|that's on me|that one's on me|that is on me|"
    r"i'll take (?:that|it|this)(?: one)?|i'll own (?:that|it|this)|i'm on it|on it|"
    r"i've got (?:it|this|that)|i got (?:it|this)|will do|can do|consider it done|"
    r"i can do that|i'll do (?:that|it)|i'll handle (?:that|it)|i'll sort (?:that|it)(?: out)?)"
    r"\W*$",
    I,
)
REQUEST = re.compile(
    r"\b(?:can you|could you|would you|will you|can i ask you to|could i ask you to|"
    r"i need you to|i'd like you to|would you mind|are you able to|can your team|"
    r"could your team|can you and|could you and|please (?:send|draft|set|share|write|check|"
    r"prepare|book|own|take|follow|make|get|loop|confirm|update|review|schedule|tell|ask|put|"
    r"add|run|look|pull|find|reach|circulate|have|give|bring|build|fix|finish|sign|sort|"
    r"organi[sz]e|write up|line up|pick up)|who can (?:own|take|do|pick))\b",
    I,
)
WHO_CAN = re.compile(r"\bwho (?:can|will|wants to|could) (?:own|take|do|pick|handle)\b", I)
ACCEPT = re.compile(
    r"^\W*(?:yes|yeah|yep|yup|sure|of course|absolutely|definitely|will do|can do|on it|okay|"
    r"ok|no problem|happy to|sounds good|i can|i'll|i will|i'm on it|consider it done|got it|"
    r"fine|that works|works for me|i'm happy to|certainly|leave it with me|that's on me|"
    r"i've got|i got|noted|deal|i'll take|i'll own|absolutely|for sure)\b|"
    # a short answer that takes the date: "November 30 works.", "Friday works for me."
    r"^\W*[\w' ]{1,24}\bworks(?: for (?:me|us))?\s*[.!]?\s*$",
    I,
)
REFUSE = re.compile(
    r"^\W*(?:no\b(?!\s+problem)|nope|i can't|i cannot|i won't|not (?:by|me|really|sure)|"
    r"i don't think|unfortunately|i'd rather not|that's not)",
    I,
)
AGREE = re.compile(
    r"^\W*(?:agreed|agree|i agree|yes|yeah|yep|sounds good|makes sense|fine by me|"
    r"let's do (?:that|it)|let's go|i'm fine with that|works for me|that works|deal|\+1|"
    r"no objection|perfect|great|good|okay|ok|fair enough|sure|absolutely|definitely|"
    r"i'm good with that|i support|i'm in|same|correct|exactly|do it|go for it|support|"
    r"i can live with|happy with|i'm happy with|i'm fine with|fine with|then yes|then i'm fine|"
    r"(?:oh,? )?okay,? then|that's fine|fine\b|approved|let's)\b",
    I,
)
DECISION = re.compile(
    r"\b(?:decision\s*[:\-]|decided\s*[:\-]|the decision is|we've decided|we have decided|"
    r"we decided (?:to|that)|we're going (?:with|to go with|ahead with)|we are going with|"
    r"we'll go (?:with|ahead)|we will go with|let's go (?:with|ahead)|we go with|"
    r"we're switching|we are switching|we'll switch|we will switch|we switch|"
    r"we're moving (?:to|forward with|the)|we'll move (?:to|forward with|the)|"
    r"let's move (?:the|forward with|to)|we're sticking with|we'll stick with|"
    r"let's stick with|we're keeping|we'll keep|we're dropping|we'll drop|let's drop|"
    r"we're not going to|we won't|we're pausing|we'll pause|let's pause|we're cancelling|"
    r"we'll use|we're using|we will use|let's use|final answer|so that's decided|"
    r"that's decided|it's decided|that's settled|we've agreed|we have agreed|we agreed (?:to|on|"
    r"that)|agreed\s*[:\-]|we're approving|we approve|approved\s*[:\-]|we're signing|"
    r"we'll sign|we're splitting|we'll split|the plan is(?! still)|"
    r"we're going to (?:go|use|switch|move|keep|stick|launch|run|split|sign|pick|adopt)|"
    r"we'll launch|we're launching|let's launch|we'll run|let's run|we're adopting|"
    r"we'll adopt|we're shifting|we'll shift|let's shift|let's switch|let's keep|let's split|"
    r"we'll ship|let's ship|we're shipping|ship it|we'll cut|let's cut|"
    r"that's where we land|where we(?:'ve| have) landed|we land on|the call is|my call is)\b",
    I,
)
PROPOSAL = re.compile(
    r"\b(?:let's|let us|i propose|i suggest we|i'd suggest we|my proposal is|i'd propose|"
    r"i recommend we|i'd recommend we|how about we|why don't we|what if we|we should|"
    r"my suggestion is|suggest we|propose we|proposal:|my proposal|my recommendation|"
    r"i'd like (?:us )?to (?:switch|move|retire|run|use|keep|drop|go|change|make|set|start|stop|"
    r"cut|split|put|freeze|launch|pause|adopt|standardi[sz]e|consolidate|replace)|"
    r"i want (?:us )?to (?:switch|move|retire|run|use|keep|drop|go with|change|cut|split))\b",
    I,
)
# "let's" that only steers the meeting is not a proposal.
STEERING = re.compile(
    r"\blet(?:'s| us)\s+(?:just\s+)?(?:start|begin|get (?:started|going|into|to)|move on|"
    r"go (?:to|through|over|back|around|ahead and (?:start|move|go))|look at|see|talk|"
    r"discuss|hear|wrap|continue|jump|dive|kick|recap|review the|take a (?:quick )?look|"
    r"switch to the|circle|turn|do a (?:quick )?round|pick (?:up|it up) (?:next|later)|"
    r"give it|wait|check in|quickly|now|also|first|try|think|be|say|not forget|hope|"
    r"keep (?:it|this) (?:short|brief)|keep (?:moving|going)|call it|end|close|finish|skip|"
    r"get through|keep the (?:discussion|questions?|rest) for|"
    r"do (?:[\w-]+ ){1,2}(?:now|next|first)\b|"
    r"take (?:a|the) (?:minute|second|break)|make sure we|spend|"
    r"hold (?:it|that|this|off) (?:to|till|until|for) the end)|\bdecision slot\b",
    I,
)
PARK = re.compile(
    r"\b(?:park\b(?! the car| it in the garage)|(?<!\ba )parking[- ]lot|"
    r"put (?:it|that|this|[\w'-]+(?: [\w'-]+){0,4}) on the (?:list|parking|backlog)|"
    r"on the parking lot|"
    r"take (?:it|this|that|the rest|[\w'-]+(?: [\w'-]+){0,3}) offline|"
    r"offline it is|"
    r"offline\b.{0,20}\b(?:discussion|conversation)|table (?:it|this|that)\b|"
    r"not decide (?:it|this|that)|defer (?:it|this|that)|"
    r"push (?:it|this|that) to (?:next|the next)|"
    r"keep (?:it|that|this|.{1,40}) (?:on|in) the (?:list|parking lot|backlog)|"
    r"(?:goes|go|going) (?:back )?(?:on|onto|in|into) the (?:list|parking lot|backlog)|"
    r"put (?:it|that|this) on the (?:[\w-]+ )?agenda|"
    # taken to another meeting: "let's take attribution to our one-on-one next week"
    r"(?:take|bring|move) (?:it|this|that|[\w'-]+(?: [\w'-]+){0,3}) to (?:our|the|next|a) "
    r"(?:next )?(?:one-on-one|1:1|1-on-1|qbr|monthly|steering|offsite|next (?:meeting|sync|call))|"
    # Weaker words defer only to a later meeting or until something happens: "let's come back
    # to it at the end" moves the talk within the meeting and parks nothing.
    r"(?:come back to|circle back (?:on|to)|revisit|hold off on|pick up) (?:it|this|that|"
    r"[\w'-]+(?: [\w'-]+){0,3})\b(?=.{0,40}\b(?:next (?:week|time|month|meeting|sync|call|"
    r"quarter)|in (?:the )?(?:next|another)|at the (?:next|qbr|1:1|one-on-one|monthly|quarterly)|"
    r"when|once|until|till|after (?:the|we|legal|finance)|in (?:january|february|march|april|"
    r"may|june|july|august|september|october|november|december|q[1-4])|"
    r"in (?:a few|two|three|\d+) weeks))|"
    r"pick (?:it|this|that) (?:back )?up\b(?=.{0,40}\b(?:next (?:week|time|month|meeting|sync|"
    r"call|quarter)|when|once|until|till|after)))",
    I,
)
# "Let's take that offline", "park it": a deferral that points back at what was being discussed.
POINTS_BACK = re.compile(
    r"\b(?:park|table|defer|hold off on|take|put|keep|leave|push|come back to|"
    r"circle back (?:on|to)|revisit|not decide)\s+(?:that|it|this|those|these|them)\b|"
    r"\bpick (?:that|it|this|those|them) (?:back )?up\b",
    I,
)
# ... unless the sentence names what it parks too ("Put the work email gate in the parking lot
# and we come back to it when …").
_NAMES_WHAT_IS_PARKED = re.compile(
    r"\b(?:put|park|table|take|keep|leave|push|defer)\s+(?!(?:that|it|this|those|these|them)\b)"
    r"(?:the |our |your |a |an )?[\w'-]+(?:\s[\w'-]+){0,6}?\s+(?:in|on|into|offline|until|till)\b|"
    r"\bparking lot\s*:\s*\w",
    I,
)


def points_back(text: str) -> bool:
    """Whether a deferral only points back at what was being discussed ("let's park that")."""
    return bool(POINTS_BACK.search(text)) and not _NAMES_WHAT_IS_PARKED.search(text)


# A later mention of a snag already parked is status talk, not a new snag (the tracker marks
# the earlier item revisited).
REMENTION = re.compile(
    r"\b(?:from the parking lot|(?:still|stays|is|remains|was|were) (?:in the )?park(?:ed|ing)|"
    r"we parked|we'd parked|had parked|parked (?:last|it last|in)|on the parking lot since|"
    r"as we parked|back to the park(?:ing|ed)|parking[- ]lot (?:item|question|topic|thing)s?|"
    r"the parked (?:question|item|topic|issue|thing|one|point)s?|"
    r"parked since|on the list since|(?:was|were|is) on the list|"
    r"(?:in|on) the parking lot since|keep (?:it|that|this) there|"
    r"(?:been|sat|sitting|stayed) (?:in|on) the "
    r"(?:parking lot|list)|(?:has|have|'s) been parked)\b",
    I,
)
ACTION_MARKER = re.compile(
    r"^\W*(?:(?:new |next |one more |another )?action(?: item)?s?\s*(?:for [\w .'-]+)?\s*[:\-]|"
    r"to-?do\s*[:\-]|ai\s*[:\-]|follow-?up\s*[:\-])",
    I,
)
RECAP = re.compile(
    r"\b(?:to recap|recap\s*[:\-]|quick recap|let me recap|let me summari[sz]e|to summari[sz]e|"
    r"to sum up|summing up|in summary|so to wrap up|so the actions are|actions are|"
    r"action items are|the action items|so, actions|recap of)\b|"
    # "Okay, recap.", "Right. Recap, quickly.", "I'll do a recap", "let me do the recap"
    r"(?:^|[.!?]\s+|\b(?:okay|ok|right|so|good|great|alright|fine|then)\W+)recap\b|"
    r"\b(?:i'll|i will|let me|let's) (?:do |give |run )?(?:a |the |my |our )?(?:quick |short |"
    r"brief )?recap\b|"
    # "Let me run through it so we all agree what we've got"
    r"\b(?:let me|i'll|i will|let's) (?:quickly )?(?:run|go|read) (?:through|over|back) (?:it|them|"
    r"that|everything|the list|what we(?:'ve| have)|where we (?:landed|are))\b",
    I,
)
# Said of the recap to come, not the recap: "Anything else before I recap?"
RECAP_LATER = re.compile(
    r"\b(?:before|after|then|otherwise) (?:i |i'll |we |the |a |my )?(?:quick )?recap\b|"
    r"\brecap (?:email|doc|note)",
    I,
)
THIRD_PERSON_COMMIT = (
    r"(?:'ll|\s+will|\s+is going to|'s going to|\s+to\s+(?:own|take|handle|draft|send|set up|"
    r"follow up|check|prepare|write|review|look into|book|run|share|confirm|update|get|fix|"
    r"finish|deliver|lead|coordinate|schedule|reach out|talk|ask|chase|pull|build|test|"
    r"migrate|sign|move|publish|circulate)|\s+owns|\s+takes|\s+has the|\s+has)\b"
)
HYPOTHETICAL = re.compile(
    r"(?:^|\W)(?:if|unless|suppose|supposing|assuming|imagine|in theory|hypothetically|"
    r"in case)\b|\b(?:would|we'd|i'd|could|might|maybe|perhaps|whether|at some point|"
    r"some ?day|one of these days|sooner or later)\b",
    I,
)
PAST_RETOLD = re.compile(
    r"\b(?:(?:in|last|back in|earlier this|earlier in|since)\s+\w+,?\s+we\s+(?:had\s+)?"
    r"(?:decided|agreed|chose|picked|said|went with)|as we (?:decided|agreed|said)|"
    r"we (?:had )?decided (?:last|in|back|on|before|"
    r"earlier|a while)|(?:last|previous) (?:week|month|meeting|quarter|time) we (?:decided|"
    r"agreed|said)|back in (?:january|february|march|april|may|june|july|august|september|"
    r"october|november|december)|when we (?:chose|decided|picked|agreed)|"
    r"(?:now that|since|because|given that|that) we(?:'ve| have)? (?:decided|agreed|settled)|"
    r"(?:decided|agreed) (?:that|it|this|on that) (?:in|at|last|on|during|back))\b",
    I,
)
# Meeting mechanics and talk about the talk: never a task.
MECHANICS = re.compile(
    r"\b(?:share (?:my|the|your) screen|sharing (?:my|the) screen|stop sharing|screen ?share|"
    r"unmute|mute|on mute|hear me|see my screen|can you see|recording|the chat|in the chat|"
    r"drop (?:off|a link)|next slide|the slides?\b(?! deck)|be quick|be brief|keep it short|"
    r"hand (?:it )?over|pass (?:it )?(?:over|to)|let (?:\w+ )?(?:go|speak|talk|finish|start)|"
    r"introduce|go first|say (?:a few|something|hi|a word)|just add|quickly add|mention|"
    r"talk about|explain|repeat|skip|give (?:you|an|a quick) (?:update|overview|summary)|"
    r"walk (?:you|us) through|give it a (?:try|shot) (?:now|today)|start streaming|"
    r"jump (?:in|off)|wrap (?:it )?up|be honest|admit|give you that|stop here|ask a question|"
    r"take a look at (?:it|this) now|answer that|comment on|add to that|follow (?:what|that)|"
    r"read (?:it|the) out|open the floor|put it in the chat|post it in the chat|"
    r"see (?:you|everyone|y'all)(?: all)? (?:again|next|soon|then|in|on|at|around)|talk soon|"
    r"(?:nearly|almost|running|run) out of time|a lot to get through|keep (?:moving|going)|"
    r"keep the discussion for|"
    # Asking for or giving the room an update, running the call, closing it.
    r"give (?:us|you|everyone|the group) (?:an?|the|some|a (?:quick|short|brief)) "
    r"(?:update|overview|summary|recap|status)|give (?:an?|a (?:quick|short|brief)) "
    r"(?:update|overview|summary|recap)(?! to)|provide (?:us )?(?:with )?an? (?:quick )?update|"
    r"(?:the|my) right screen|get the (?:stream|streamer|recording)\w* (?:started|going)|"
    r"thank(?:s| you) (?:all|everyone|everybody|so much)?,? ?for (?:attending|joining|coming)|"
    r"(?:hand|pass) (?:the floor|over)|go (?:pretty |really )?(?:fast|quickly),? (?:because|since)|"
    r"help me out(?=\W*$))\b",
    I,
)
TASK_VERB = re.compile(
    r"\b(?:send|draft|write|prepare|set up|setup|book|schedule|check|confirm|review|update|"
    r"respond|reply|weigh in|comment|"
    r"share|circulate|own|lead|run|build|fix|finish|deliver|ship|launch|migrate|move|sign|"
    r"get|have|put|pull|find|reach out|follow up|talk to|ask|chase|test|publish|merge|"
    r"ping|nudge|message|email|contact|"
    r"open|create|file|add|remove|turn on|turn off|enable|disable|configure|document|"
    r"escalate|loop in|sync|coordinate|organi[sz]e|plan|scope|estimate|price|quote|negotiate|"
    r"audit|map|clean|fix|rewrite|replace|implement|integrate|connect|deploy|release|"
    r"roll out|brief|train|hire|buy|order|request|submit|approve|investigate|look into|dig into|"
    r"figure out|work out|sort out|handle|take care of|make sure|ensure|block|hold|cancel|"
    r"move|rerun|run|tag|label|export|import|upload|present|walk|demo|compile|collect|gather|"
    r"survey|benchmark|analy[sz]e|compare|evaluate|measure|track|monitor|report|read|"
    r"leave (?:the |your |some )?(?:feedback|comments?|a comment|a review)|give feedback|"
    r"provide feedback|take a look|have a look|look at)\b",
    I,
)
# Work asked of everyone present, nobody named: "please review the PR and leave feedback", "it
# would be great if client teams could…", "I'd encourage people to look into these links".
OPEN_REQUEST = re.compile(
    r"\b(?:please (?:do|review|take a look|have a look|leave|comment|chime in|give|look|read|"
    r"reach out|share|post|add|check|test|try|update|send|fill|sign|open|merge|run)|"
    r"i(?:'d| would)? (?:really )?(?:encourage|ask|urge|invite) (?:people|everyone|you|folks|"
    r"teams|client teams|all|everybody)|(?:it )?would be (?:great|nice|good|helpful|awesome) if "
    r"(?:you|people|everyone|folks|teams|client teams|someone|somebody)|feel free to|"
    r"make sure (?:to|you)|if (?:you|people|folks|teams) could|"
    r"please,? (?:[\w-]+,? ){0,5}?(?:respond|reply|let (?:me|us) know|weigh in|chime in)|"
    r"what (?:i|we) need (?:from (?:you|everyone|all|the teams|client teams)|is))\b",
    I,
)
# A report of where things stand ("we're at 1.5 seconds", "the contract was signed on the
# 24th", "profiles are at thirty-five percent"): news, not a decision or a commitment.
STATUS_REPORT = re.compile(
    r"\b(?:(?:is|are|was|were|'s|'re) (?:at|now|currently|down|up|already|still|about|around|"
    r"roughly|nearly|almost|on track|behind|ahead)|stands? at|so far|to date|percent|"
    r"(?:was|were|got|has been|have been) (?:signed|done|finished|completed|sent|approved|"
    r"shipped|launched|delivered|merged|released)|last (?:week|month|quarter)|yesterday|"
    r"this morning|(?:good|great|real|some|no) progress|(?:down|up) from|"
    r"(?:one|two|three|four|five|six|seven|eight|nine|zero) point (?:one|two|three|four|five|"
    r"six|seven|eight|nine|zero))\b|\d+(?:\.\d+)?\s?%",
    I,
)


# Said of something still open: a decision not taken ("I don't want to decide that yet", "the
# consent question stays open till the wording's agreed").
NOT_DECIDED = re.compile(
    r"\b(?:(?:don't|do not|didn't|not) (?:want to |going to |ready to |able to )?(?:decide|settle)|"
    r"(?:can't|cannot|won't) (?:decide|settle)|not (?:yet )?(?:decided|settled|agreed)|"
    r"(?:stays?|remains?|is still|still) open|undecided|no decision)\b",
    I,
)
# A call for objections closes a proposal: silence or assent makes it the meeting's decision
# ("Unless anyone objects, we go with mParticle", "is there anyone who'd be opposed?").
OBJECTION_CALL = re.compile(
    r"\b(?:any (?:objections?|opposition)|(?:if|unless) (?:there are|there's|i hear|we hear) "
    r"no (?:objections?|pushback)|unless (?:anyone|anybody|someone|somebody) "
    r"(?:objects|disagrees|screams|shouts|has (?:a problem|concerns|an issue))|"
    r"(?:does|would) (?:anyone|anybody) (?:object|disagree|oppose)|"
    r"(?:is there |are there )?(?:anyone|anybody|any ?one) (?:who's|who is|who'd be|who would be|"
    r"that's|that is) (?:opposed|against)|(?:anyone|anybody) opposed|speak now or|"
    r"hearing no objections?|no objections?\?)",
    I,
)
# A person's preference, not a choice the meeting made.
PREFERENCE = re.compile(
    r"\b(?:i'd rather|i would rather|i'd prefer|i would prefer|i don't want to|i do not want to|"
    r"i'd hate to)\b",
    I,
)
# A conclusion drawn after agreement: "Then we retire the weekly funnel email."
CONCLUSION = re.compile(
    r"^\W*(?:so|then|okay|ok|right|good|great|fine)\b,?\s+(?:then,?\s+)?we\s+(?!need|have|should|"
    r"could|would|might|can|may|had|did|were|are|was|'re|'ll|will|also|still|just|all|both|"
    # a report of what happened, or of what we know, concludes nothing
    r"[a-z]+ed\b|saw\b|got\b|went\b|said\b|spoke\b|know\b|think\b|see\b|hear\b|talk)"
    r"(?:[a-z]+)\b",
    I,
)


# What the room is asked to agree to: "How about we run the pilot at two hotels?"
ASKED_PROPOSAL = re.compile(
    r"^\W*(?:so,? |okay,? |and |then,? )?(?:how about we|why don't we|what if we just|shall we|"
    r"can we (?:just )?agree (?:to|that|on)|should we just|could we just|"
    r"are we agreed (?:to|that|on))\b",
    I,
)
# A plain statement of what we do, decided only when the others then agree outright ("We
# freeze changes to the legacy journeys as of today." - "Agreed. Freeze from today.").
WE_STATEMENT = re.compile(
    r"^\W*(?:(?:so|then|okay|ok|right|and)\b,?\s+)?(?:from (?:today|now|monday|next week),?\s+)?"
    r"we\s+(?!need|have|should|could|would|might|can|may|had|did|were|are|was|'re|'ll|'ve|'d|will|"
    r"also|still|just|all|both|usually|always|never|normally|typically|often|already|"
    r"[a-z]+ed\b|saw\b|got\b|went\b|said\b|spoke\b|know\b|think\b|see\b|hear\b|talk|"
    r"mean\b|want\b|like\b|love\b|hope\b|feel\b|guess\b|agree\b|look\b|get\b|do\b|don't\b)"
    r"(?:[a-z]+)\b",
    I,
)
# A plain statement of how things will be, by what it is about ("Then Stripe goes to fifty
# percent on Monday", "The kiosks wait until April.", "The analyst reports to Ines"): decided
# only when someone else then agrees outright.
ARRANGEMENT = re.compile(
    r"^\W*(?:(?:so|then|okay|ok|right|and|fine)\b,?\s+){0,2}"
    r"(?!(?:i|you|it|he|she|they|that|this|there|we|which|what|who|everyone|nobody)\b)"
    r"(?:[\w'-]+\s+){1,5}?"
    r"(?:goes|comes|stays|stay|waits|wait|moves|sits|runs|starts|reports|ramps|switches|lands|"
    r"ships|"
    r"launches|belongs|comes out of|go (?:on|to|through|into|out))\b",
    I,
)
# Assent said anywhere in a reply ("Okay. I can live with that.", "Yeah, fair.").
ASSENT = re.compile(
    r"\b(?:agreed|i agree|works for me|that works|makes sense|i can live with (?:that|it)|"
    r"i'm (?:fine|good|happy|ok|okay) with (?:that|it|this)|fine by me|fair(?: enough)?\b|"
    r"happy with (?:that|it)|sounds (?:good|right|sensible|fine))",
    I,
)
STRONG_AGREE = re.compile(
    r"^\W*(?:agreed|i agree|works for me|that works|sounds good|fine by me|makes sense|deal|\+1|"
    r"i'm (?:fine|good|happy|ok|okay) with (?:that|it|this)|i'm in|let's do (?:that|it)|do it|"
    r"i support|i can live with|happy with|approved|yes,? (?:let's|agreed|do it|that works|please)|"
    r"no objection|go for it|absolutely|definitely|100 percent|for sure)\b",
    I,
)


def is_status_report(text: str) -> bool:
    """News of where things stand, not an item."""
    return bool(STATUS_REPORT.search(text))


# Work a team takes on, with no one person named.
WE_COMMIT = re.compile(
    r"\b(?:we'll|we will|we're going to|we are going to|we're gonna|our team will|my team will|"
    r"we need to|we have to|we must|(?:my|the|our) (?:goal|aim|plan) is to (?:have|get|finish|"
    r"ship|land|merge|complete)|we aim to)\b",
    I,
)
WORD = re.compile(r"[a-z0-9][a-z0-9'\-]*", I)
STOP = frozenset(
    "a an the and or but so to of in on for at by with from that this it its it's is are was "
    "were be been i i'll i'm you your we we'll our us they them he she his her me my mine "
    "can could will would should just really very also then there here now okay ok yeah yes "
    "sure well right um uh like get got do does did have has had let let's go going gonna "
    "that's what which who when where how about into up out over all any some one".split()
)


def content_words(text: str) -> list[str]:
    """The words of `text` that carry meaning (no stop words, fillers or numbers alone)."""
    return [w for w in (m.lower() for m in WORD.findall(text)) if w not in STOP]


ACCEPT_ANYWHERE = re.compile(
    r"\b(?:got it|will do|can do|works for me|that works|no problem|sounds good|on it|"
    r"i'm on it|consider it done|happy to|noted)\b",
    I,
)


def is_question(text: str) -> bool:
    return text.rstrip().endswith("?")


def is_hypothetical(text: str) -> bool:
    """ "If we went with Adobe we'd…", "we could maybe…"."""
    return bool(HYPOTHETICAL.search(text))


def is_mechanics(text: str) -> bool:
    """Talk about the meeting itself: screens, slides, who speaks next."""
    return bool(MECHANICS.search(text))


def is_past_retold(text: str) -> bool:
    """A decision told again from the past ("as we decided in September")."""
    return bool(PAST_RETOLD.search(text))


def is_remention(text: str) -> bool:
    """A snag already parked, spoken of again ("still in the parking lot")."""
    return bool(REMENTION.search(text))


def is_negative(text: str) -> bool:
    """Words that do not leave an item behind, whatever a classifier thinks: meeting
    mechanics, questions, hypotheticals, decisions retold from the past and snags spoken of
    again. (Maybes and status reports are weaker signs: features of the item scorer.)"""
    head = text.split(",")[0]
    return bool(
        MECHANICS.search(text)
        or is_question(text)
        or PAST_RETOLD.search(text)
        or re.search(r"(?:^|\W)(?:if|unless|suppose|assuming|imagine|whether)\b", head, I)
        or REMENTION.search(text)
        or NOT_DECIDED.search(text)
        or opens_recap(text)
    )


def opens_recap(text: str) -> bool:
    """The chair's "Let me run through it so we all agree what we've got.": it opens the recap
    and says no item of its own ("To recap: Tom sends the copy to legal" does)."""
    return bool(RECAP.search(text)) and len(content_words(RECAP.sub(" ", text))) < 4
