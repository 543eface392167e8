"""A sample discussion written for the demo: heated, threaded, with quotes, links and likes.

Each entry: (local key, parent key or None, author, text, likes). Authors are fictional.
"""

from __future__ import annotations

ARTICLE_TITLE = "The old town should go car-free by 2028"
ARTICLE_URI = "/articles/car-free-old-town"
ARTICLE_BODY = """\
The council votes next month on closing the old town's eleven streets to private cars.
Shops fear the loss of passing trade; residents complain of noise, fumes and lorries mounting
the pavement. Other cities that tried it saw footfall rise within two years, though not
everywhere. Here is why I think we should do it, and why the transition matters more than the
date.
"""

Entry = tuple[str, str | None, str, str, int]

DISCUSSION: list[Entry] = [
    ("a1", None, "Marta K.",
     "Finally someone says it. I live on Weavers Lane and the delivery vans idle outside my "
     "window from 6 am. **Anything** is better than this.", 14),
    ("a2", "a1", "Tom Fairweather",
     "> Anything is better than this\n\nEven losing the bakery on the corner? They told the "
     "paper half their customers drive in from the villages.", 6),
    ("a3", "a2", "Marta K.",
     "The bakery's own survey says 70% of customers walk. Here it is: "
     "https://example.org/bakery-survey.pdf", 9),
    ("a4", "a3", "Tom Fairweather",
     "A survey of people *inside the shop*, who by definition got there. The ones who gave up "
     "parking are not in it.", 11),
    ("a5", "a4", "Priya N.",
     "That's a fair point about survivorship, but the council's footfall counters show the same "
     "thing on the two car-free Sundays last year: up 18%.", 7),
    ("a6", "a5", "Tom Fairweather",
     "Sundays. Nobody does their weekly shop in the old town on a Sunday.", 3),
    ("a7", "a6", "Priya N.",
     "Nobody does their weekly shop in the old town **at all**, that's what the supermarket on "
     "the ring road is for.", 8),
    ("b1", None, "Graham Holt",
     "This is class war dressed up as environmentalism. People who can afford to live in the "
     "centre get quiet streets; carers, tradesmen and the disabled get a ticket.", 21),
    ("b2", "b1", "Ines",
     "Blue badge holders are exempt in the proposal, section 4.2. Did you read it?", 17),
    ("b3", "b2", "Graham Holt",
     "I read it. Exempt until the review in 2030, which is council-speak for 'we'll see'.", 5),
    ("b4", "b3", "Ines",
     "So your objection is to a review that hasn't happened yet. Noted.", 4),
    ("b5", "b1", "Dev Okafor",
     "As a plumber: give me a loading permit that works and I'm fine with it. The current "
     "permit system takes three weeks and a fax machine. I wish I were joking.", 26),
    ("b6", "b5", "Marta K.",
     "This is the most useful comment here. The transition is the whole argument.", 12),
    ("b7", "b5", "Councillor Reyes",
     "Noted, and I'll raise it. The draft has same-day digital permits; if that's not clear we "
     "need to say it better.", 19),
    ("b8", "b7", "Dev Okafor",
     "Same-day is good. Same-hour would be better, emergency callouts don't book ahead.", 9),
    ("c1", None, "Anonymous",
     "Ghent did this in 2017. Cycling went up by a quarter and the shops did fine. Sources: "
     "[city report](https://example.org/ghent-circulation-plan)", 15),
    ("c2", "c1", "Tom Fairweather",
     "Ghent has a university with 70,000 students. We have a cathedral and a car park.", 13),
    ("c3", "c2", "Anonymous",
     "And Pontevedra has neither and did it in 1999. Population 80,000.", 10),
    ("c4", "c3", "Sam W.",
     "Pontevedra also rebuilt the entire street surface. Who pays for that here?", 6),
    ("c5", "c4", "Priya N.",
     "The regional transport fund, per the budget annex. Though the annex is vague about the "
     "second phase.", 4),
    ("c6", "c5", "Sam W.",
     "'Vague about the second phase' is how every half-finished scheme in this town started.",
     7),
    ("c7", "c6", "Ines",
     "So we ask for the second phase to be costed before the vote. That's an argument for "
     "amending it, not binning it.", 8),
    ("d1", None, "Rob",
     "Every year the same people want to tell everyone else how to live. Leave it alone.", 2),
    ("d2", "d1", "Marta K.",
     "Leaving it alone is also telling people how to live: with vans on the pavement.", 9),
    ("e1", None, "Lena Vogt",
     "Question nobody has answered: where do the 240 residents' parking permits go? "
     "The multi-storey is already full on market days.", 16),
    ("e2", "e1", "Councillor Reyes",
     "The proposal converts the top two floors of the Tanners Row car park to residents-only. "
     "Whether that's enough is a fair question and we'll publish the numbers.", 11),
    ("e3", "e2", "Lena Vogt",
     "Please do. And publish them **before** the vote, not after.", 14),
    ("e4", "e3", "Graham Holt", "Seconded, for once.", 10),
    ("f1", None, "Jonas",
     "Small thing, but: the article says eleven streets; the map in the proposal shows twelve "
     "(Tanners Row is half in). Which is it?", 5),
    ("f2", "f1", "Editor",
     "Good catch. Tanners Row is in from the junction with Mill Street; we've corrected the "
     "text.", 6),
    ("g1", None, "Aisha",
     "I use a wheelchair. Cobbles without cars are still cobbles. If this goes ahead, resurfacing "
     "the main route has to be phase one, not phase three.", 22),
    ("g2", "g1", "Sam W.", "This. Completely agree.", 5),
    ("g3", "g1", "Councillor Reyes",
     "Thank you: I'll propose exactly that amendment. `Phase 1: accessible spine route` has a "
     "nice ring to it.", 12),
    ("h1", None, "Peter",
     "Honestly both sides here are exhausting. Try it for a summer, count the people, decide. "
     "Why is that so hard?", 18),
    ("h2", "h1", "Tom Fairweather",
     "Because a trial that ends in August tells you nothing about February.", 6),
    ("h3", "h2", "Peter", "Then a trial through February. Still cheaper than arguing.", 7),
]
