"""Word lists the headline features read: framing words, never topic words.

Every list here is closed-class or describes *how* a headline talks (asks, teases,
exaggerates, alarms, insists), never *what* it is about: a word that names a topic
("war", "Kardashian", "election") must not appear, so the model cannot learn that
politics is sober and celebrities are bait. Words are lowercase, apostrophes
straight.
"""

AUXILIARIES = frozenset(
    "is are was were am be been being do does did can could will would shall should "
    "has have had may might must isn't aren't wasn't weren't don't doesn't didn't "
    "can't couldn't won't wouldn't shouldn't hasn't haven't hadn't".split()
)

WH_WORDS = frozenset("what why how who whom whose which when where whatever".split())

SECOND_PERSON = frozenset(
    "you your yours yourself yourselves you're you'll you've you'd ya".split()
)

FIRST_PERSON = frozenset("i i'm i've i'd i'll me my mine we we're we've us our".split())

# Pointing at something the headline withholds: "This Is Why...", "Here's what...".
FORWARD_REFERENCE = frozenset(
    "this these that those here here's there's it's something someone nobody "
    "everyone everything anything".split()
)

# Phrases that tease an answer the reader has to click for.
CURIOSITY_PHRASES = (
    "here's why",
    "here is why",
    "here's what",
    "here's how",
    "this is why",
    "this is what",
    "this is how",
    "what happened next",
    "what happens next",
    "what happened when",
    "you won't believe",
    "you will never believe",
    "won't believe",
    "will blow your mind",
    "blow your mind",
    "the reason why",
    "the real reason",
    "the truth about",
    "what you need to know",
    "everything you need to know",
    "find out",
    "can you guess",
    "guess what",
    "you need to see",
    "you have to see",
    "need to know",
    "will make you",
    "makes you",
    "is all of us",
    "is literally",
    "for the first time ever",
    "before it's too late",
    "no one is talking about",
    "nobody is talking about",
    "you didn't know",
    "you never knew",
    "did you know",
)

# Claims of settled fact that a headline often cannot back on its own.
CERTAINTY = frozenset(
    "officially official confirmed confirms confirm proof proves proven proved "
    "definitely undeniable undeniably certainly guaranteed guarantee truth "
    "revealed reveals reveal exposed exposes finally absolutely totally "
    "completely literally actually really indeed unquestionably irrefutable "
    "fact facts".split()
)

ALARM = frozenset(
    "warning warns alarm alarming urgent emergency panic chaos crisis brink "
    "catastrophe catastrophic disaster disastrous terrifying terrified terror "
    "horrifying horrific horror deadly dangerous danger threat threatens "
    "imminent doom doomed collapse collapses meltdown explosive bombshell "
    "shocking shocked shock scary fear fears feared frightening slams slammed "
    "blasts blasted destroys destroyed obliterates annihilates erupts fury "
    "furious outrage outraged rage savage brutal nightmare apocalypse "
    "apocalyptic armageddon escalates escalation unprecedented staggering "
    "alert breaking shock".split()
)

EMOTION = frozenset(
    "heartbreaking heartwarming hilarious adorable cute cutest sweet sweetest "
    "love loves lovely hate hates cry crying cried tears sob omg wtf lol "
    "awesome awkward weird weirdest creepy gross beautiful gorgeous stunning "
    "perfect perfectly wonderful amazing amazingly emotional happy sad "
    "painfully relatable hilariously ridiculous ridiculously glorious "
    "magical precious touching disgusting embarrassing cringe".split()
)

HYPERBOLE = frozenset(
    "incredible incredibly unbelievable insane insanely epic ultimate "
    "mind-blowing mindblowing jaw-dropping astonishing astounding "
    "breathtaking spectacular extraordinary phenomenal genius legendary "
    "ever never literally totally absolutely seriously "
    "massive huge enormous tiny crazy craziest wild wildest".split()
)

SUPERLATIVES = frozenset(
    "best worst most least biggest smallest greatest largest funniest "
    "strangest weirdest scariest cutest craziest wildest happiest saddest "
    "dumbest smartest richest oldest youngest hottest coolest top "
    "ultimate".split()
)

# Generic plural nouns that carry a listicle: "17 Things", "9 Reasons".
LISTICLE_NOUNS = frozenset(
    "things ways reasons times signs facts tips tricks secrets questions "
    "moments lessons rules mistakes hacks steps ideas habits types kinds "
    "photos pictures pics gifs tweets posts words struggles problems "
    "thoughts examples people".split()
)

NUMBER_WORDS = frozenset(
    "one two three four five six seven eight nine ten eleven twelve thirteen "
    "fourteen fifteen sixteen seventeen eighteen nineteen twenty thirty forty "
    "fifty hundred hundreds thousand thousands million millions".split()
)

# Closed-class words kept as themselves in the masked token stream.
FUNCTION_WORDS = frozenset(
    "a an the and or but nor so yet if then than because while although though "
    "unless until since as of in on at to for from by with without about into "
    "onto over under after before between through during against among around "
    "up down out off away back just only even also too very not no yes "
    "again still now ever never always already soon once more less much many "
    "some any each every all both either neither other another such own same "
    "he him his she her hers they them their theirs it its himself herself "
    "themselves itself one ones who's what's that's how's let's gets get got "
    "getting goes go going gone went make makes made take takes took happen "
    "happens happened happening see seen saw look looks looking need needs want "
    "wants know knows knew think thinks say says said tell tells told try tries "
    "should'nt can't here there where when".split()
)

# Everything the masked token stream keeps as a word; the rest becomes a shape.
KEPT_WORDS = (
    AUXILIARIES
    | WH_WORDS
    | SECOND_PERSON
    | FIRST_PERSON
    | FORWARD_REFERENCE
    | CERTAINTY
    | ALARM
    | EMOTION
    | HYPERBOLE
    | SUPERLATIVES
    | LISTICLE_NOUNS
    | FUNCTION_WORDS
)

# Words whose weight is fixed in sign by design: they reach the model only through
# their named signals, which may raise a score but never lower it.
SIGNAL_WORDS = CERTAINTY | ALARM | EMOTION | HYPERBOLE | SUPERLATIVES
