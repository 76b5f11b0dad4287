"""Word lists for the framing cues that same-story headlines taught us to name.

Like ``model.headline.lexicons``, every list here describes *how* a headline
talks, never *what* it is about. These lists are read by the headline model
only (the body check pins ``lexicons``, not this module), so they can change
with a retrain of the headline model alone. Lowercase, apostrophes straight.
"""

# A label in front of the headline that sells it: "EXCLUSIVE:", "BREAKING:", "WATCH:".
LABELS = frozenset(
    "exclusive breaking watch video shocking revealed leaked bombshell urgent "
    "alert must-see must-watch must-read viral caught exposed scandal".split()
)

# Contempt, insult and loaded political words: they judge instead of report.
LOADED = frozenset(
    "hoax hoaxes scam scams sham farce lie lies liar liars lying idiot idiots "
    "idiotic moron morons moronic stupid stupidity dumb dumbest lunatic "
    "lunatics clown clowns clueless disgrace disgraceful disgraced pathetic "
    "shameful shameless shame thug thugs traitor traitors treasonous crooked "
    "rigged propaganda cover-up coverup witch-hunt smear smears hypocrite "
    "hypocrites hypocrisy hypocritical fanatic fanatics zealot zealots tyranny "
    "tyrant tyrannical puppet snowflake snowflakes libtard libtards commie "
    "commies evil vile despicable disgusting twisted deranged unhinged "
    "hysterical hysteria tantrum rant rants ranting whining whines whine "
    "humiliated humiliating humiliates humiliation eviscerates eviscerated "
    "rips ripped torches torched shreds shredded trashes trashed mocks mocked "
    "mocking lashes grovels groveling caves cowardly coward cowards ruined "
    "ruins wrecks wrecked gaslighting gaslights grifter grifters elitist "
    "radical radicals extremist extremists crazed nuts unhinged "
    "absurd ludicrous laughable insulting outrageous scandalous sinister "
    "filthy rotten brainwashed indoctrination indoctrinated "
    "shill shills stooge stooges cronies crony nonsense".split()
)

# Fear and violence framing beyond the alarm words: the story is told as horror.
FEAR = frozenset(
    "slaughter slaughtered slaughters massacre massacred carnage bloodbath "
    "bloody butcher butchered butchering horrors gruesome grisly chilling "
    "spine-chilling harrowing haunting petrifying horrifying "
    "swarm swarms swarming onslaught rampage menace lurking "
    "doomsday devastating devastated terrorise terrorize terrorised "
    "terrorized scare scares scared scaring panicked hellish hell horrendous "
    "monstrous monster monsters catastrophically "
    "ticking-time-bomb".split()
)

# A correction: the headline says a claim is false. Sober, whatever the claim.
DEBUNK = frozenset(
    "debunked debunks debunking debunk fact-check fact-checks fact-checked "
    "false falsely misleading unfounded baseless unsubstantiated untrue "
    "fabricated misattributed doctored".split()
)
DEBUNK_PHRASES = (
    "fact check",
    "no evidence",
    "not true",
    "did not say",
    "didn't say",
    "there is no",
    "is not real",
    "is a hoax",
    "is hoax",
    "was a hoax",
    "is a myth",
    "is fake",
)

# Whose words these are: a statement with its source reads as a report.
ATTRIBUTION = frozenset(
    "says said say tells told according announces announced testifies "
    "testified reports reported finds found estimates estimated".split()
)

# Capitals that are acronyms however long or common they look.
ACRONYMS = frozenset(
    "aids cia fbi nasa nato who it us un eu uk usa gop dnc rnc nhs nba nfl "
    "mlb nhl ufc wwe cdc fda epa irs dhs doj dod ice fema osha sec ftc fcc "
    "imf opec unicef unesco covid ceo cfo cto ai lgbt lgbtq blm maga isis "
    "nsa mit ucla nyc la dc mps mp".split()
)
