#!/usr/bin/env python3
"""Helpers for tests/bench/api.sh: bench experts, their free slots, queued mail, Maildir timing.

Talks only to the app on 127.0.0.1; every loop is bounded in count and in time.
"""
import datetime
import http.client
import json
import os
import statistics
import sys
import time
import urllib.parse
import uuid

NAMESPACE = uuid.UUID("6f1d9b0e-5c0a-4e43-9f8e-2b3c1a7d0b11")  # fixed: the same keys on every run


def expert_document(slug, number):
    return {
        "key": str(uuid.uuid5(NAMESPACE, slug)),
        "type": "expertProfile",
        "slug": slug,
        "sortOrder": 100 + number,
        "published": True,
        "document": {
            "name": f"Bench Expert {slug}",
            "role": "Load-test expert",
            "summary": "An expert written by the API benchmark: bookable around the clock, so that thousands of "
                       "bookings can each take a slot of their own.",
            "availability": {
                "timeZone": "UTC",
                "windows": [{"day": day, "start": "00:00", "end": "24:00"} for day in
                            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]],
                "slotMinutes": 15,
                "bufferMinutes": 0,
                "minimumNoticeHours": 0,
                "horizonDays": 365,
                "maxPerDay": 24,
                "daysOff": [],
            },
        },
    }


def cmd_experts(folder, slugs):
    """Writes one expertProfile JSON file per slug into FOLDER (a sample-content folder)."""
    os.makedirs(folder, exist_ok=True)
    for number, slug in enumerate(slugs.split(","), start=1):
        with open(os.path.join(folder, f"{slug}.json"), "w", encoding="utf-8") as file:
            json.dump(expert_document(slug, number), file, indent=2)


def connect(base):
    url = urllib.parse.urlsplit(base)
    if url.hostname not in ("127.0.0.1", "localhost", "::1"):
        sys.exit(f"bench.py: {base} is not on loopback")
    return http.client.HTTPConnection(url.hostname, url.port, timeout=30)


def get_json(connection, path):
    connection.request("GET", path)
    response = connection.getresponse()
    body = response.read()
    if response.status != 200:
        sys.exit(f"bench.py: GET {path} answered {response.status}: {body[:300]!r}")
    return json.loads(body)


def cmd_slots(base, slugs, out, horizon_days="364"):
    """
    Fetches the free slots of each expert (62 days per request, the API's maximum) and writes the bookable
    ones as "slug start" lines: at most maxPerDay (24) per expert and day, none in the next 26 hours (a
    slot must still lie in the future when its request is sent). Prints how many lines it wrote.
    """
    connection = connect(base)
    today = datetime.datetime.now(datetime.timezone.utc).date()
    earliest = datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=26)
    lines = 0
    with open(out, "w", encoding="ascii") as file:
        for slug in slugs.split(","):
            per_day = {}
            for offset in range(0, int(horizon_days), 62):
                day = today + datetime.timedelta(days=offset)
                for slot in get_json(connection, f"/api/v1/experts/{slug}/slots?from={day.isoformat()}&days=62"):
                    start = datetime.datetime.fromisoformat(slot["start"].replace("Z", "+00:00"))
                    if start < earliest:
                        continue
                    taken = per_day.setdefault(start.date(), 0)
                    if taken >= 24:
                        continue
                    per_day[start.date()] = taken + 1
                    file.write(f"{slug} {slot['start']}\n")
                    lines += 1
    connection.close()
    print(lines)


def cmd_post_contacts(base, count, tag):
    """POSTs COUNT distinct contact messages one after another; fails unless every one answers 202."""
    connection = connect(base)
    deadline = time.monotonic() + 300
    for number in range(int(count)):
        if time.monotonic() > deadline:
            sys.exit(f"bench.py: posting {count} messages took longer than 300 s")
        who = f"{tag}-{number}"
        body = json.dumps({
            "name": f"Queue Sender {who}", "email": f"queue-{who}@example.com", "company": "Bench Ltd",
            "subject": f"Queued message {who}",
            "message": f"Hello, this is queued benchmark message {who}. We would like to talk about a project.",
        })
        connection.request("POST", "/api/v1/contact-messages", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        answer = response.read()
        if response.status != 202:
            sys.exit(f"bench.py: message {number} answered {response.status}: {answer[:300]!r}")
    connection.close()


def maildir_files(maildir):
    folder = os.path.join(maildir, "new")
    return [entry for entry in os.scandir(folder) if entry.is_file()]


def cmd_wait_maildir(maildir, count, timeout_s, since_ms):
    """
    Waits until COUNT mails are in MAILDIR/new (polling every 20 ms, at most TIMEOUT_S seconds) and prints
    the milliseconds from SINCE_MS (epoch) to the newest file's modification time, i.e. when the last mail
    was written by the SMTP server. Exits 1 on a time-out, printing how many arrived.
    """
    count, deadline = int(count), time.monotonic() + float(timeout_s)
    while True:
        files = maildir_files(maildir)
        if len(files) >= count:
            break
        if time.monotonic() > deadline:
            print(f"timeout {len(files)}")
            sys.exit(1)
        time.sleep(0.02)
    last_ms = max(entry.stat().st_mtime_ns for entry in files) / 1e6
    print(f"{last_ms - float(since_ms):.0f}")


def cmd_handoff(base, maildir, repeats, pause_s, tag):
    """
    An idle system, REPEATS times: POST one contact message, then poll MAILDIR/new every 2 ms until its mail
    is there (at most 10 s). Prints each time from just before the POST to the moment the file was seen, ms.
    """
    connection = connect(base)
    times = []
    for number in range(int(repeats)):
        time.sleep(float(pause_s))
        before = len(maildir_files(maildir))
        who = f"{tag}-{number}"
        body = json.dumps({
            "name": f"Idle Sender {who}", "email": f"idle-{who}@example.com", "subject": f"Idle message {who}",
            "message": f"Hello, this is idle hand-off message {who}, sent to a quiet system.",
        })
        started = time.perf_counter()
        connection.request("POST", "/api/v1/contact-messages", body, {"Content-Type": "application/json"})
        response = connection.getresponse()
        answer = response.read()
        if response.status != 202:
            sys.exit(f"bench.py: hand-off message {number} answered {response.status}: {answer[:300]!r}")
        deadline = started + 10
        while len(maildir_files(maildir)) <= before:
            if time.perf_counter() > deadline:
                sys.exit(f"bench.py: hand-off message {number} did not reach the SMTP server within 10 s")
            time.sleep(0.002)
        times.append((time.perf_counter() - started) * 1000)
    connection.close()
    print(" ".join(f"{value:.0f}" for value in times))


def cmd_log_time(log_folder, text):
    """Prints the epoch milliseconds of the last line in the app's log files that contains TEXT."""
    found = None
    for name in sorted(os.listdir(log_folder)):
        with open(os.path.join(log_folder, name), encoding="utf-8", errors="replace") as file:
            for line in file:
                if text in line:
                    found = line
    if found is None:
        sys.exit(f"bench.py: no log line with {text!r} in {log_folder}")
    # "2026-11-22 03:04:58.123 +00:00 [INF] …": the file sink's timestamp.
    stamp = datetime.datetime.strptime(found[:30], "%Y-%m-%d %H:%M:%S.%f %z")
    print(f"{stamp.timestamp() * 1000:.0f}")


def cmd_server_times(log_folder, method, path, since_ms, until_ms):
    """
    The app's own view: the request log's "HTTP METHOD PATH responded S in X ms" lines logged between
    SINCE_MS and UNTIL_MS (epoch). Prints "count p50 p90 p99 max" in ms.
    """
    marker = f"HTTP {method} {path} responded "
    since, until = float(since_ms), float(until_ms)
    values = []
    for name in sorted(os.listdir(log_folder)):
        with open(os.path.join(log_folder, name), encoding="utf-8", errors="replace") as file:
            for line in file:
                if marker not in line:
                    continue
                stamp = datetime.datetime.strptime(line[:30], "%Y-%m-%d %H:%M:%S.%f %z").timestamp() * 1000
                if since <= stamp <= until:
                    values.append(float(line.split(marker, 1)[1].split(" in ", 1)[1].split(" ms", 1)[0]))
    if not values:
        print("0 n/a n/a n/a n/a")
        return
    values.sort()
    pick = lambda q: values[min(len(values) - 1, int(q * len(values)))]
    print(f"{len(values)} {pick(0.5):.2f} {pick(0.9):.2f} {pick(0.99):.2f} {values[-1]:.2f}")


def cmd_stats(*values):
    """Prints "median max" of the numbers given."""
    numbers = [float(value) for value in values]
    print(f"{statistics.median(numbers):.0f} {max(numbers):.0f}")


COMMANDS = {
    "experts": cmd_experts,
    "slots": cmd_slots,
    "post-contacts": cmd_post_contacts,
    "wait-maildir": cmd_wait_maildir,
    "handoff": cmd_handoff,
    "log-time": cmd_log_time,
    "server-times": cmd_server_times,
    "stats": cmd_stats,
}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in COMMANDS:
        sys.exit(f"usage: bench.py {'|'.join(COMMANDS)} …")
    COMMANDS[sys.argv[1]](*sys.argv[2:])
