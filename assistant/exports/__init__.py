"""Liaison's items and meetings out to where people work, and calendars in.

links.py        links back into the web app (a meeting moment, an item)
ics.py          ICS: the action-item feed and one item (icalendar)
tables.py       CSV and XLSX of items, every field (openpyxl)
minutes.py      Markdown and DOCX minutes of one meeting (python-docx)
feeds.py        secret, revocable calendar-feed URLs per user
calendar_in.py  read an ICS calendar: events, occurrences of a series, attendees
service.py      `Exports`: what the CLI, API and web call (liaison.exports)
"""
