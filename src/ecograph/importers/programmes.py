"""Funding programmes: the EU framework programmes and their parts, minted once per import.

Projects are funded by a programme part (``H2020-EU.3.1.``, ``HORIZON.4.1``,
``FP7-HEALTH``) whose ``ecograph:parentProgramme`` is its framework programme, so a
query can filter by framework with the path ``ecograph:fundedBy/ecograph:parentProgramme*``.
"""

from __future__ import annotations

from ecograph.importers import model as m
from ecograph.importers.triples import TripleSink, iri, literal
from ecograph.iris import mint, slugify

#: Framework programme code → (IRI key, English label).
FRAMEWORKS = {
    "FP7": ("fp7", "Seventh Framework Programme (FP7)"),
    "H2020": ("horizon-2020", "Horizon 2020"),
    "HORIZON": ("horizon-europe", "Horizon Europe"),
}


def framework_for(code: str) -> str | None:
    """The framework programme a CORDIS programme code belongs to.

    >>> framework_for("H2020-EU.3.1."), framework_for("HORIZON.4.1"), framework_for("FP7-HEALTH")
    ('H2020', 'HORIZON', 'FP7')
    """
    upper = code.strip().upper()
    for prefix in ("H2020", "HORIZON", "FP7"):
        if upper.startswith(prefix):
            return prefix
    return None


class Programmes:
    """Writes each programme (and its framework) to *sink* the first time it is used."""

    def __init__(self, sink: TripleSink) -> None:
        self._sink = sink
        self._written: set[str] = set()

    def framework(self, code: str) -> str:
        """The term of the framework programme *code* (``FP7``, ``H2020`` or ``HORIZON``)."""
        key, label = FRAMEWORKS[code]
        term = iri(str(mint("programme", key)))
        if term not in self._written:
            self._written.add(term)
            self._sink.add(term, m.A, m.PROGRAMME)
            self._sink.add(term, m.LABEL, literal(label, lang="en"))
            self._sink.add(term, m.PROGRAMME_CODE, literal(code))
        return term

    def part(self, code: str, title: str = "", *, fallback: str | None = None) -> str:
        """The term of programme part *code*, a part of its framework (or the framework).

        A code without a letter or digit (``???``) has no IRI of its own: it stands for
        the framework *fallback* (``ValueError`` when there is none).
        """
        code = code.strip()
        parent = framework_for(code)
        if code.upper() in FRAMEWORKS:
            return self.framework(code.upper())
        slug = slugify(code)
        if not slug and fallback is not None:
            return self.framework(fallback)
        term = iri(str(mint("programme", slug)))
        if term not in self._written:
            self._written.add(term)
            self._sink.add(term, m.A, m.PROGRAMME)
            self._sink.add(term, m.LABEL, literal(title or code))
            self._sink.add(term, m.PROGRAMME_CODE, literal(code))
            if parent is not None:
                self._sink.add(term, m.PARENT_PROGRAMME, self.framework(parent))
        return term
