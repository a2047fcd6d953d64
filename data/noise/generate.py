#!/usr/bin/python3
# SPDX-License-Identifier: LGPL-2.1-or-later
"""Writes data/noise/universe.json, Sigma's default material for background noise.

The output has the shape of ARE's augmentation data, {"apps": [{"name", "class_name",
"app_state"}, ...]}: conversations, inbox emails, products with variants and discount codes,
and apartment listings of a made-up universe that no scenario loads. The content is assembled
from the small phrase tables below with a fixed seed, so running this script again gives the
same bytes:

    /usr/bin/python3 data/noise/generate.py > data/noise/universe.json
"""

import json
import random
import sys

SEED = 20241015
BASE_TIME = 1728900000.0  # 2024-10-14 09:20:00 UTC

FIRST = ["Amelia", "Bruno", "Chiara", "Daniel", "Elena", "Farid", "Grace", "Hugo", "Ingrid",
         "Jonas", "Keiko", "Liam", "Maya", "Nikolai", "Olivia", "Pedro", "Quinn", "Rosa",
         "Samuel", "Tara", "Umar", "Vera", "William", "Ximena", "Yusuf", "Zoe"]
LAST = ["Andersen", "Becker", "Costa", "Dubois", "Evans", "Fischer", "Garcia", "Hansen",
        "Ito", "Jensen", "Kowalski", "Larsen", "Moreau", "Novak", "Okafor", "Petrov",
        "Quintero", "Rossi", "Schmidt", "Tanaka", "Usman", "Varga", "Weber", "Yilmaz"]
DOMAINS = ["mailbox.org", "fastpost.net", "northwind.example", "brightlane.co", "citymail.com"]

TOPICS = [
    ("the book club", [
        "Did you finish the chapter for Thursday?",
        "I am halfway through, the ending of part two surprised me.",
        "Should we move the meeting to the café on Elm Street?",
        "Fine by me, it is quieter than the library.",
        "I can bring the snacks this time.",
        "Great, I will send the new address to everyone."]),
    ("the weekend hike", [
        "Are we still on for the hike on Saturday?",
        "Yes, the forecast looks dry until the afternoon.",
        "Let's meet at the trailhead parking at eight.",
        "I will pack extra water and some sandwiches.",
        "Do you think the upper loop is open again?",
        "The ranger station said it reopened last week."]),
    ("the apartment repairs", [
        "The plumber can come on Tuesday morning.",
        "Good, the kitchen tap has been dripping all week.",
        "He also asked whether the boiler was serviced this year.",
        "Not yet, could he look at it while he is here?",
        "I will ask him and let you know the price.",
        "Thanks, leave the spare key with the neighbour."]),
    ("the team lunch", [
        "Where should we take the team for lunch on Friday?",
        "The new Thai place near the station has good reviews.",
        "Can they seat twelve people without a booking?",
        "I called them, they need a booking for more than eight.",
        "Then let's book for half past twelve.",
        "Done, the reservation is under my name."]),
    ("the birthday party", [
        "Is the surprise party still a secret?",
        "As far as I know, nobody has said a word.",
        "I ordered the cake, it will be ready on Saturday.",
        "I can pick it up on my way over.",
        "Remember to hide the balloons in the garage.",
        "Will do, see you at six."]),
    ("the photography course", [
        "The evening photography course starts next month.",
        "Do we need our own camera for the first lesson?",
        "They said a phone is enough for the first two weeks.",
        "Good, mine is being repaired anyway.",
        "The first assignment is street portraits.",
        "That sounds fun, we could practise at the market."]),
    ("the garden allotment", [
        "The tomatoes finally turned red this week.",
        "Lucky you, mine were eaten by snails again.",
        "Try copper tape around the beds, it helped me.",
        "I will pick some up at the garden centre.",
        "The committee meeting is on the first Sunday.",
        "I will be there, we need to talk about the water bill."]),
    ("the conference trip", [
        "Have you booked your train to the conference?",
        "Not yet, the early fares sold out quickly.",
        "There is a later train that is still reasonable.",
        "I will take that one and meet you at the hotel.",
        "The keynote starts at nine on the first day.",
        "Let's have breakfast together before it starts."]),
    ("the music rehearsal", [
        "Rehearsal is moved to Wednesday this week.",
        "Is the studio still booked from seven to nine?",
        "Yes, and the drummer can only stay until half past eight.",
        "Then let's start with the new song.",
        "I printed the updated chord sheets.",
        "Perfect, I will bring the spare cables."]),
    ("the volunteer shift", [
        "The food bank needs two more volunteers on Saturday.",
        "I can do the morning shift from nine to twelve.",
        "Great, they mostly need help sorting donations.",
        "Should I bring anything?",
        "Just comfortable shoes and a water bottle.",
        "See you at the side entrance then."]),
]

EMAIL_TEMPLATES = [
    ("Your order has shipped",
     "Hello {name},\n\nGood news: your order {ref} has left our warehouse and should arrive within "
     "three working days. You can follow the parcel with the tracking number {ref}-TRK.\n\n"
     "Thank you for shopping with {company}."),
    ("Invoice {ref} for {month}",
     "Dear {name},\n\nPlease find below the summary of invoice {ref} for {month}. The amount of "
     "{amount} will be collected from your account on the first working day of next month.\n\n"
     "Kind regards,\n{company} billing"),
    ("Reminder: appointment on {day}",
     "Hi {name},\n\nThis is a reminder of your appointment on {day} at {hour}. If you cannot make "
     "it, please reply to this email at least a day in advance so we can offer the slot to "
     "someone else.\n\nSee you soon,\n{company}"),
    ("Newsletter: what is new in {month}",
     "Hi {name},\n\nThis month we opened a new branch, extended our weekend opening hours and "
     "started a small workshop series. Members get ten percent off every workshop booked before "
     "the end of {month}.\n\nThe {company} team"),
    ("Question about the {topic}",
     "Hi {name},\n\nI hope you are well. I wanted to ask whether you had time to look at the notes "
     "about the {topic}. There is no rush, but it would help to have your thoughts before "
     "{day}.\n\nBest,\n{sender}"),
    ("Welcome to {company}",
     "Dear {name},\n\nThank you for creating an account with {company}. Your membership number is "
     "{ref}. You can update your preferences at any time from your profile page.\n\n"
     "Warm regards,\n{company}"),
    ("Tickets for {day}",
     "Hello {name},\n\nYour two tickets for {day} are confirmed. Doors open at {hour}; please have "
     "the booking reference {ref} ready at the entrance.\n\nEnjoy the evening,\n{company}"),
    ("Minutes of the meeting about the {topic}",
     "Hi all,\n\nAttached in the text below are the short minutes. We agreed to revisit the "
     "{topic} on {day}, and {sender} will collect the remaining questions beforehand.\n\n"
     "Thanks,\n{sender}"),
]
COMPANIES = ["Harbour Books", "GreenLeaf Market", "Metro Dental", "City Arts Centre",
             "Nordic Outdoor", "Bluebird Telecom", "Maple Fitness", "Riverside Theatre"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]
HOURS = ["9:00", "10:30", "13:15", "15:45", "18:00", "19:30"]
EMAIL_TOPICS = ["budget", "garden project", "school fair", "office move", "website update",
                "charity run", "holiday schedule", "reading list"]

PRODUCTS = [
    ("Cotton Crew T-Shirt", {"Color": ["White", "Black", "Navy", "Olive"], "Size": ["S", "M", "L", "XL"]}, 12.0),
    ("Stainless Steel Water Bottle", {"Capacity": ["500 ml", "750 ml", "1 l"], "Color": ["Silver", "Teal"]}, 18.0),
    ("Wireless Earbuds", {"Color": ["Black", "White"], "Case": ["Standard", "Wireless charging"]}, 49.0),
    ("Ceramic Coffee Mug", {"Color": ["Cream", "Slate", "Terracotta"], "Size": ["300 ml", "450 ml"]}, 9.5),
    ("Yoga Mat", {"Thickness": ["4 mm", "6 mm"], "Color": ["Purple", "Grey", "Green"]}, 24.0),
    ("Running Shoes", {"Size": ["39", "40", "41", "42", "43", "44"], "Color": ["Blue", "Black"]}, 79.0),
    ("Desk Lamp", {"Finish": ["Brass", "Matte black", "White"], "Bulb": ["Warm", "Daylight"]}, 35.0),
    ("Backpack", {"Capacity": ["20 l", "28 l"], "Color": ["Charcoal", "Sand", "Forest"]}, 55.0),
    ("Wool Scarf", {"Color": ["Burgundy", "Camel", "Grey"], "Length": ["160 cm", "190 cm"]}, 29.0),
    ("Cast Iron Skillet", {"Diameter": ["20 cm", "26 cm", "30 cm"]}, 32.0),
    ("Bluetooth Speaker", {"Color": ["Red", "Black", "Blue"], "Size": ["Mini", "Standard"]}, 45.0),
    ("Notebook Set", {"Paper": ["Lined", "Dotted", "Blank"], "Format": ["A5", "A4"]}, 11.0),
    ("Electric Kettle", {"Capacity": ["1 l", "1.7 l"], "Finish": ["Steel", "White"]}, 39.0),
    ("Board Game", {"Edition": ["Standard", "Deluxe"], "Language": ["English", "French"]}, 27.0),
    ("Phone Case", {"Model": ["Model 12", "Model 13", "Model 14"], "Color": ["Clear", "Black"]}, 15.0),
    ("Scented Candle", {"Scent": ["Lavender", "Cedar", "Vanilla"], "Size": ["Small", "Large"]}, 14.0),
]
BRANDS = ["Alder", "Brightwood", "Cobalt", "Driftline", "Evergreen", "Foxglove", "Granite",
          "Harbor", "Ironbark", "Juniper"]

STREETS = ["Oak Avenue", "Harbour Road", "Mill Lane", "Station Street", "Park Crescent",
           "Church Walk", "Riverside Drive", "King Street", "Elm Grove", "Canal Side"]
CITIES = [("Springfield", "62701"), ("Riverton", "82501"), ("Lakeside", "92040"),
          ("Fairview", "97024"), ("Brookhaven", "30319"), ("Cedar Falls", "50613")]
PROPERTY_TYPES = ["Apartment", "Condo", "Home"]
FURNISHED = ["Furnished", "Unfurnished", "Semi-furnished"]
FLOORS = ["Ground floor", "Upper floors", "Penthouse", "Basement"]
PETS = ["Pets allowed", "No pets", "Cats allowed", "Dogs allowed"]
LEASES = ["Month-to-month", "6 months", "1 year", "Long term lease"]
AMENITIES = ["Gym", "Parking", "Laundry", "Pool", "Balcony", "Elevator", "Storage", "Garden"]
ADJECTIVES = ["Sunny", "Spacious", "Cosy", "Modern", "Quiet", "Bright", "Renovated", "Charming"]


def hex_id(rng):
    return "%032x" % rng.getrandbits(128)


def person(rng):
    return rng.choice(FIRST), rng.choice(LAST)


def conversations(rng, count):
    result = {}
    for i in range(count):
        first, last = person(rng)
        others = [person(rng) for _ in range(rng.choice([1, 1, 2]))]
        participants = ["+1555%07d" % rng.randrange(10 ** 7) for _ in range(len(others) + 1)]
        topic, lines = rng.choice(TOPICS)
        n = rng.randint(4, len(lines))
        start = BASE_TIME + rng.randrange(0, 30 * 86400, 60)
        messages = []
        for k in range(n):
            sender = participants[(k + rng.randrange(2)) % len(participants)]
            messages.append({
                "sender_id": sender,
                "message_id": hex_id(rng),
                "timestamp": start + 300.0 * k,
                "content": lines[k],
            })
        conversation_id = hex_id(rng)
        title = "%s and %s about %s" % (first, others[0][0], topic) if len(others) == 1 else \
            "%s, %s and %s: %s" % (first, others[0][0], others[1][0], topic)
        result[conversation_id] = {
            "conversation_id": conversation_id,
            "participant_ids": participants,
            "title": title,
            "last_updated": messages[-1]["timestamp"],
            "messages": messages,
        }
    return result


def emails(rng, count):
    result = []
    for i in range(count):
        subject_t, body_t = rng.choice(EMAIL_TEMPLATES)
        first, last = person(rng)
        sender_first, sender_last = person(rng)
        company = rng.choice(COMPANIES)
        values = {
            "name": first, "sender": "%s %s" % (sender_first, sender_last), "company": company,
            "ref": "%s-%05d" % (company[:3].upper(), rng.randrange(10 ** 5)),
            "month": rng.choice(MONTHS), "day": rng.choice(DAYS), "hour": rng.choice(HOURS),
            "amount": "$%d.%02d" % (rng.randint(15, 400), rng.randrange(100)),
            "topic": rng.choice(EMAIL_TOPICS),
        }
        sender = "%s.%s@%s" % (sender_first.lower(), sender_last.lower(), rng.choice(DOMAINS))
        result.append({
            "email_id": hex_id(rng),
            "sender": sender,
            "recipients": ["%s.%s@%s" % (first.lower(), last.lower(), rng.choice(DOMAINS))],
            "subject": subject_t.format(**values),
            "content": body_t.format(**values),
            "timestamp": BASE_TIME + rng.randrange(0, 30 * 86400, 60),
            "is_read": False,
            "parent_id": None,
            "cc": [],
            "attachments": None,
        })
    return result


def products(rng, count):
    result = {}
    discount_codes = {}
    for i in range(count):
        base, options, price = PRODUCTS[i % len(PRODUCTS)]
        brand = BRANDS[(i // len(PRODUCTS)) % len(BRANDS)]
        product_id = hex_id(rng)
        keys = sorted(options)
        combos = [{}]
        for key in keys:
            combos = [dict(c, **{key: v}) for c in combos for v in options[key]]
        rng.shuffle(combos)
        variants = {}
        for combo in combos[:rng.randint(2, 4)]:
            item_id = hex_id(rng)
            variants[item_id] = {
                "item_id": item_id,
                "price": round(price * rng.uniform(0.85, 1.3), 2),
                "available": rng.random() > 0.1,
                "options": combo,
            }
            if rng.random() < 0.3:
                code = "%s%d" % (rng.choice(["SAVE", "WELCOME", "AUTUMN", "FRIENDS"]), rng.choice([5, 10, 15, 20]))
                discount_codes[item_id] = {code: float(int(code.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")))}
        result[product_id] = {"name": "%s %s" % (brand, base), "product_id": product_id,
                              "variants": variants}
    return result, discount_codes


def apartments(rng, count):
    result = {}
    for i in range(count):
        city, zip_code = rng.choice(CITIES)
        bedrooms = rng.randint(0, 4)
        apartment_id = hex_id(rng)
        result[apartment_id] = {
            "apartment_id": apartment_id,
            "name": "%s %s near %s" % (rng.choice(ADJECTIVES),
                                       "studio" if bedrooms == 0 else "%d-bedroom flat" % bedrooms,
                                       rng.choice(STREETS)),
            "location": "%d %s, %s" % (rng.randint(1, 240), rng.choice(STREETS), city),
            "zip_code": zip_code,
            "price": float(rng.randrange(700, 4200, 25)),
            "bedrooms": bedrooms,
            "bathrooms": max(1, bedrooms - rng.randint(0, 1)),
            "square_footage": 350 + 250 * bedrooms + rng.randrange(0, 200, 10),
            "property_type": rng.choice(PROPERTY_TYPES),
            "furnished_status": rng.choice(FURNISHED),
            "floor_level": rng.choice(FLOORS),
            "pet_policy": rng.choice(PETS),
            "lease_term": rng.choice(LEASES),
            "amenities": sorted(rng.sample(AMENITIES, rng.randint(1, 4))),
            "saved": False,
        }
    return result


def main():
    rng = random.Random(SEED)
    shop, codes = products(rng, 120)
    universe = {"apps": [
        {"name": "Messages", "class_name": "MessagingAppV2",
         "app_state": {"conversations": conversations(rng, 80)}},
        {"name": "Emails", "class_name": "EmailClientV2",
         "app_state": {"folders": {"INBOX": {"emails": emails(rng, 200)}}}},
        {"name": "Shopping", "class_name": "ShoppingApp",
         "app_state": {"products": shop, "discount_codes": codes}},
        {"name": "RentAFlat", "class_name": "ApartmentListingApp",
         "app_state": {"apartments": apartments(rng, 80)}},
    ]}
    json.dump(universe, sys.stdout, indent=1, ensure_ascii=False, sort_keys=False)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
