"""Workplace recognizers that Presidio's defaults lack: one recognizer per module, word lists as data.

| module | finds |
| --- | --- |
| `email.py` | email addresses, domains validated offline |
| `employee_id.py` | employee, staff, badge and payroll numbers |
| `phone.py` | UK, US and international phone numbers |
| `chat_handle.py` | chat handles |
| `license_plate.py` | vehicle registration plates |
| `street_address.py` | street addresses and postcodes |
| `titled_name.py` | names after a title |
| `first_name.py` | first names and nicknames spaCy misses (Faker's lists, `wordfreq` rarity, cue words) |
| `place.py` | towns, cities and countries (GeoNames) |
| `regex.py` | the shape the pattern recognizers share |
| `words.py`, `words/*.txt` | the word lists (allow-list, cue words, names that are also words) |

A pattern with a group marks only that group (e.g. the number after "staff no."), so the
surrounding cue words stay readable for reviewers.
"""

from service.pipeline.recognizers.chat_handle import CHAT_HANDLE
from service.pipeline.recognizers.email import OfflineEmailRecognizer
from service.pipeline.recognizers.employee_id import EMPLOYEE_ID
from service.pipeline.recognizers.first_name import FirstNameRecognizer, common_words, first_names
from service.pipeline.recognizers.license_plate import LICENSE_PLATE
from service.pipeline.recognizers.phone import PHONE
from service.pipeline.recognizers.place import PlaceRecognizer
from service.pipeline.recognizers.street_address import STREET_ADDRESS
from service.pipeline.recognizers.titled_name import PERSON_TITLE

__all__ = [
    "CHAT_HANDLE",
    "EMPLOYEE_ID",
    "LICENSE_PLATE",
    "PERSON_TITLE",
    "PHONE",
    "STREET_ADDRESS",
    "FirstNameRecognizer",
    "OfflineEmailRecognizer",
    "PlaceRecognizer",
    "common_words",
    "first_names",
]
