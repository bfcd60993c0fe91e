"""A seeded generator of realistic sales emails, pushy and customer-centric mixed,
so benchmarks run on text shaped like what reps write (greetings, paragraphs, lists)."""

from __future__ import annotations

import random

GREETINGS = ["Hi {name},", "Hello {name},", "Hey {name}!", "{name},", "Good morning {name},"]
NAMES = ["Priya", "Marcus", "Dana", "Tom", "Ana", "Jordan", "Sam", "Lena", "Chris", "Mei"]
SIGNOFFS = ["Best,\n{rep}", "Thanks,\n{rep}", "Cheers,\n{rep}", "{rep}", "Talk soon,\n{rep}"]
PUSHY = [
    "I wanted to tell you about our new analytics release.",
    "We are the leading provider of revenue intelligence for B2B teams.",
    "Our platform offers forecasting, deal boards, Slack alerts and a mobile app.",
    "This discount expires at the end of the quarter.",
    "If you can sign by Friday so we can book it this quarter, I will send the contract today.",
    "My manager approved an extra 10% if we get the paperwork signed this week.",
    "We pride ourselves on world-class service and we have served over 400 companies.",
    "It is a feature-rich product with all the bells and whistles, and much more.",
    "Our goal is to add five new logos in your industry this year.",
    "We would love to add you to our list of happy customers.",
]
CENTRIC = [
    "You mentioned that your reps spend most of Monday rebuilding the forecast.",
    "Every month without a shared forecast costs your team about 300 selling hours.",
    "Two teams your size cut their forecast prep from a day to under an hour.",
    "How are you handling renewals in the 90 days before a contract ends?",
    "Who else would need to weigh in before your team decides?",
    "I noticed your team doubled its SDR headcount this year.",
    "The route planner would let your dispatchers rebuild a day's routes in minutes.",
    "You could test it on one depot first, so your team can compare on-time rates.",
    "I put together a one-page sketch of how your team could automate the matching step.",
    "If churn in the first 30 days is still the main worry, I have two ideas that could help.",
]
NEUTRAL = [
    "Thanks for the time on Tuesday.",
    "I have attached the notes from our call.",
    "The pilot would run for four weeks on a single region.",
    "Pricing depends on the number of seats and the modules you pick.",
    "Our security documentation is linked below.",
]
BULLETS = ["- AI-powered forecasting", "- Custom dashboards", "- SOC 2 Type II", "- SSO and SCIM"]


def generate(count: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    emails = []
    for _ in range(count):
        pool = PUSHY if rng.random() < 0.5 else CENTRIC
        paragraphs = []
        for _ in range(rng.randint(2, 4)):
            sentences = rng.sample(pool, rng.randint(1, 3)) + rng.sample(NEUTRAL, rng.randint(0, 2))
            rng.shuffle(sentences)
            paragraphs.append(" ".join(sentences))
        if pool is PUSHY and rng.random() < 0.3:
            paragraphs.append("Here is what you get:\n" + "\n".join(rng.sample(BULLETS, 3)))
        greeting = rng.choice(GREETINGS).format(name=rng.choice(NAMES))
        signoff = rng.choice(SIGNOFFS).format(rep=rng.choice(NAMES))
        emails.append("\n\n".join([greeting, *paragraphs, signoff]) + "\n")
    return emails
