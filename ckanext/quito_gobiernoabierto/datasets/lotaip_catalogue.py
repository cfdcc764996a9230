"""What a LOTAIP publication answers to: the literals of the 2004 law and the
numerals of the 2023 law, each with its subject (an English msgid, shown
translated). Only subjects found in public sources are given; the sources of
each list are cited above it.
"""
from __future__ import annotations

from typing import NamedTuple, Optional


def N_(text: str) -> str:
    """Mark a msgid for extraction; it is translated where it is shown."""
    return text


class Item(NamedTuple):
    code: str
    subject: Optional[str]  # None: subject not verified, shown as "Literal <code>"


class Regime(NamedTuple):
    key: str
    label: str
    kind: str  # "literal" or "numeral" (the same word in Spanish and English)
    first_year: int
    last_year: Optional[int]
    items: tuple


# Ley Orgánica de Transparencia y Acceso a la Información Pública, Registro
# Oficial Suplemento 337, 18 de mayo de 2004, Art. 7, literals a) to t) as the
# Defensoría del Pueblo's guidelines split them (a1-a4, b1-b2, f1-f2). Sources:
# - a1-a4, b1, b2, c, d: Quito's own Portal de Gobierno Abierto, 2017
#   presentation (../shared/seed/000_4026db9af4ddc082.txt, "Ley Transparencia");
# - a1 to o (split labels): https://registropropiedadpuertoquito.gob.ec/?p=7664,
#   https://www.upec-creativa.com/copia-de-2021-1, https://flavioalfaro.gob.ec/flavioalfaro/2024-2,
#   https://urbina.gob.ec/carchi/2022-2/ (f2: "Formato para solicitudes de acceso a la información pública");
# - Art. 7 text of a) to o) and of the local-government literal: GitHub
#   kerly1111/BELLA-MARIA, lotaip2014.php (a parish government's LOTAIP page);
# - p, q, r: https://registrodelapropiedadsd.gob.ec/index.php/transparencia/transparencia-2023
#   ("p) Sentencias ejecutorias (Función Judicial)", "q) Resoluciones ejecutorias
#   (Organismos de Control del Estado)", "r) Indicadores (" -- the rest of r is cut);
# - s: https://flavioalfaro.gob.ec/flavioalfaro/2024-2 ("Literal s) Organismos
#   seccionales, resoluciones, actas y planes de desarrollo");
# - t: no source found; shown as "Literal t".
LAW_2004 = Regime("2004", N_("LOTAIP 2004 (Art. 7, literals)"), "literal", 2004, 2023, (
    Item("a1", N_("Organizational chart of the institution")),
    Item("a2", N_("Legal basis governing the institution")),
    Item("a3", N_("Internal regulations and procedures")),
    Item("a4", N_("Goals and objectives of the administrative units")),
    Item("b1", N_("Directory of the institution")),
    Item("b2", N_("Staff roster")),
    Item("c", N_("Monthly pay by position")),
    Item("d", N_("Services offered and how to access them")),
    Item("e", N_("Full text of the collective agreements in force")),
    Item("f1", N_("Forms and formats of requests")),
    Item("f2", N_("Format for requests for access to public information")),
    Item("g", N_("Budget of the institution")),
    Item("h", N_("Results of internal and government audits")),
    Item("i", N_("Public procurement processes")),
    Item("j", N_("Companies and persons that have breached contracts")),
    Item("k", N_("Plans and programmes under way")),
    Item("l", N_("External or internal credit contracts")),
    Item("m", N_("Mechanisms of accountability to citizens")),
    Item("n", N_("Travel allowances, work reports and travel justifications")),
    Item("o", N_("Person responsible for attending to public information requests")),
    Item("p", N_("Final judgements (judiciary)")),
    Item("q", N_("Final resolutions (State control bodies)")),
    Item("r", N_("Indicators")),
    Item("s", N_("Local governments: resolutions, minutes and development plans")),
    Item("t", None),
))

# Ley Orgánica de Transparencia y Acceso a la Información Pública, Registro
# Oficial Segundo Suplemento 245, 7 de febrero de 2023, Art. 19 ("Transparencia
# activa", updated monthly), numerals as the Defensoría del Pueblo's matrices
# group them, each published as three files (conjunto de datos, metadatos,
# diccionario). Sources:
# - Art. 19 text: https://registropropiedadpuertoquito.gob.ec/?p=7664 and
#   https://pedrovicentemaldonado.gob.ec/index.php/transparencia/transparencia-2023/informacion-de-noviembre-2023;
# - the full list 1.1 to 24 (22 goes with 5): https://bomberoscalvas.gob.ec/lotaip-2024/;
# - 1.2-1.3 and 1.4 as grouped here, and the three files per numeral:
#   https://tumbaco.gob.ec/2023-2/ and https://flavioalfaro.gob.ec/flavioalfaro/2024-2
#   (bomberoscalvas numbers them 1.2 and 1.3).
LAW_2023 = Regime("2023", N_("LOTAIP 2023 (Art. 19, numerals)"), "numeral", 2023, None, (
    Item("1.1", N_("Organizational structure")),
    Item("1.2-1.3", N_("Legal basis, regulations and internal procedures")),
    Item("1.4", N_("Goals and objectives of the units")),
    Item("2.1-2.2", N_("Directory and staff roster of the entity")),
    Item("3", N_("Pay and additional income")),
    Item("4", N_("Leaves and commissions of service")),
    Item("5-22", N_("Services, forms, formats and procedures")),
    Item("6", N_("Budget of the institution")),
    Item("7", N_("Results of internal and government audits")),
    Item("8", N_("Public procurement processes")),
    Item("9", N_("List of companies and persons that have breached contracts")),
    Item("10", N_("Plans and programmes")),
    Item("11", N_("External or internal credit contracts")),
    Item("12", N_("Accountability mechanisms")),
    Item("13", N_("Travel allowances, work reports and travel justifications")),
    Item("14", N_("Persons responsible for access to public information")),
    Item("15", N_("Full text of the collective agreements in force and their amendments")),
    Item("16", N_("Index of reserved information")),
    Item("17", N_("Hearings and meetings of the authorities")),
    Item("18", N_("National and international agreements")),
    Item("19", N_("Official and protocol donations")),
    Item("20", N_("Register of frequent and complementary information assets")),
    Item("21", N_("Public policies or information on specific groups")),
    Item("23", N_("Public servants under affirmative action")),
    Item("24", N_("Information relevant to the exercise of rights (SDGs)")),
))

REGIMES = {r.key: r for r in (LAW_2004, LAW_2023)}

#: The three files of each month under the 2023 law.
FILE_ROLES = ("dataset", "metadata", "dictionary")


def regime_of(code: str) -> Optional[Regime]:
    return next((r for r in REGIMES.values() if any(i.code == code for i in r.items)), None)


def item(regime: str, code: str) -> Optional[Item]:
    found = REGIMES.get(str(regime))
    return next((i for i in found.items if i.code == code), None) if found else None
