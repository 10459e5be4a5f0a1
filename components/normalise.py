"""Turn a found value span into the canonical text the rule module reads back."""
from datetime import date
from typing import Optional

from knowledge.labvalues import LabValueError, parse_alt, parse_duration_months, parse_hbv_dna, parse_uln


def _number(value: float) -> str:
    return f"{value:,.0f}" if value >= 1000 else f"{value:g}"


def normalise(kind: str, text: str, today: Optional[date] = None) -> Optional[str]:
    """Canonical text for a value of `kind`, or None when the parser refuses it."""
    try:
        if kind == "hbv_dna":
            dna = parse_hbv_dna(text)
            if dna.undetectable:
                return f"<{_number(dna.iu_per_ml)} IU/mL"
            if dna.source_unit == "copies/mL":
                return f"{_number(dna.copies_per_ml)} copies/mL"
            return f"{_number(dna.iu_per_ml)} IU/mL"
        if kind == "alt":
            alt = parse_alt(text)
            if alt.u_per_l is not None:
                reference = f" (ref 0-{_number(alt.uln)})" if alt.uln is not None else ""
                return f"{_number(alt.u_per_l)} U/L{reference}"
            return f"{alt.x_uln:g} x ULN" if alt.x_uln is not None else "normal"
        if kind == "alt_uln":
            return _number(parse_uln(text))
        if kind == "duration":
            return f"{parse_duration_months(text, today or date.today()):.4g} months"
    except LabValueError:
        return None
    return text
