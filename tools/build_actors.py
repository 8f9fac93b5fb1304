#!/usr/bin/env python3
"""Build the shipped country table ``src/detente/data/actors/countries.tsv``.

Inputs (read at build time only; nothing here is read by the product at run time):

* pycountry's ISO 3166-1 table: the list of countries, their ISO names (names are facts);
* optionally, CountryInfo (Philip A. Schrodt, ``CountryInfo.120116.txt``, CC BY-SA 3.0) as converted
  in ``shared/data/reference/countries.tsv``: its ``alt_names`` give extra name variants; only the
  ones in ``ALT_KEEP`` are taken (the rest are misspellings, nicknames, demonyms or rare forms);
* the curated tables in this file: canonical names and aliases, demonyms, capitals and seats of
  government, aliases that must not be used.

Output rows (``aliases  code  country  sector  kind  name  start  end``), per country, in ISO3 order:
``country`` (the state by name), ``demonym`` (nationality adjectives and nouns), ``capital``
(capital or seat of government as a metonym for the government: code ``XXXGOV``, sector left empty
so an agent noun can refine it: "Pyongyang's military" -> PRKMIL), plus seats of government that are
not cities ("the Kremlin", "the White House").

The script is deterministic (no clock, no randomness): two runs over the same inputs give the same
bytes. Run it from anywhere::

    .venv/bin/python tools/build_actors.py            # writes the file, prints a summary
    .venv/bin/python tools/build_actors.py --check    # exit 1 if the file on disk is out of date
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from collections import defaultdict
from pathlib import Path

import pycountry

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "src" / "detente" / "data" / "actors" / "countries.tsv"
DEFAULT_COUNTRYINFO = ROOT.parent / "shared" / "data" / "reference" / "countries.tsv"
COLUMNS = ("aliases", "code", "country", "sector", "kind", "name", "start", "end")
BUILD_DATE = "2026-11"  # fixed, so that the output does not depend on the clock


def table(text: str) -> dict[str, list[str]]:
    """Parse ``ISO3: alias|alias`` lines (``#`` comments and blank lines ignored)."""
    out: dict[str, list[str]] = {}
    for line in text.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        key, _, rest = line.partition(":")
        key = key.strip()
        if key in out:
            raise SystemExit(f"duplicate key {key} in a curated table")
        out[key] = [a.strip() for a in rest.split("|") if a.strip()]
    return out


# ---------------------------------------------------------------------------------------------
# Curated country names. The first alias is the canonical English name (the `name` column); the
# others are added to pycountry's names. Sub-national names that would otherwise be misread as
# another country ("New Mexico" -> Mexico, "New South Wales" -> Wales, "Niger Delta" -> Niger)
# are listed under the country they belong to.
# ---------------------------------------------------------------------------------------------
NAMES = table("""
ABW: Aruba
AFG: Afghanistan|Islamic Republic of Afghanistan|Islamic Emirate of Afghanistan
AGO: Angola|Republic of Angola
AIA: Anguilla
ALA: Åland Islands|Aland Islands|Åland|Aland
ALB: Albania|Republic of Albania
AND: Andorra|Principality of Andorra
ARE: United Arab Emirates|UAE|U.A.E.|Emirates
ARG: Argentina|Argentine Republic
ARM: Armenia|Republic of Armenia
ASM: American Samoa
ATA: Antarctica
ATF: French Southern Territories|French Southern and Antarctic Lands
ATG: Antigua and Barbuda|Antigua|Barbuda
AUS: Australia|Commonwealth of Australia|New South Wales
AUT: Austria|Republic of Austria
AZE: Azerbaijan|Republic of Azerbaijan
BDI: Burundi|Republic of Burundi
BEL: Belgium|Kingdom of Belgium
BEN: Benin|Republic of Benin
BES: Bonaire, Sint Eustatius and Saba|Bonaire|Sint Eustatius|Caribbean Netherlands
BFA: Burkina Faso|Burkina
BGD: Bangladesh|People's Republic of Bangladesh
BGR: Bulgaria|Republic of Bulgaria
BHR: Bahrain|Kingdom of Bahrain
BHS: Bahamas|Commonwealth of the Bahamas
BIH: Bosnia and Herzegovina|Bosnia-Herzegovina|Bosnia|Republic of Bosnia and Herzegovina
BLM: Saint Barthélemy|Saint Barthelemy|St. Barthélemy|St Barts|St. Barts|St Barths
BLR: Belarus|Republic of Belarus|Byelorussia|Belorussia
BLZ: Belize
BMU: Bermuda
BOL: Bolivia|Plurinational State of Bolivia
BRA: Brazil|Federative Republic of Brazil|Brasil
BRB: Barbados
BRN: Brunei|Brunei Darussalam
BTN: Bhutan|Kingdom of Bhutan
BVT: Bouvet Island
BWA: Botswana|Republic of Botswana
CAF: Central African Republic|CAR
CAN: Canada
CCK: Cocos (Keeling) Islands|Cocos Islands|Keeling Islands
CHE: Switzerland|Swiss Confederation
CHL: Chile|Republic of Chile
CHN: China|People's Republic of China|PRC|Mainland China
CIV: Ivory Coast|Côte d'Ivoire|Cote d'Ivoire|Côte d’Ivoire|Republic of Côte d'Ivoire
CMR: Cameroon|Republic of Cameroon
COD: Democratic Republic of the Congo|Democratic Republic of Congo|DR Congo|D.R. Congo|DRC|Congo-Kinshasa|Congo Kinshasa|Congo|Zaire
COG: Republic of the Congo|Republic of Congo|Congo-Brazzaville|Congo Brazzaville|Congo Republic
COK: Cook Islands
COL: Colombia|Republic of Colombia
COM: Comoros|Union of the Comoros
CPV: Cape Verde|Cabo Verde|Republic of Cabo Verde
CRI: Costa Rica|Republic of Costa Rica
CUB: Cuba|Republic of Cuba
CUW: Curaçao|Curacao
CXR: Christmas Island
CYM: Cayman Islands|Caymans
CYP: Cyprus|Republic of Cyprus
CZE: Czechia|Czech Republic
DEU: Germany|Federal Republic of Germany|Deutschland
DJI: Djibouti|Republic of Djibouti
DMA: Dominica|Commonwealth of Dominica
DNK: Denmark|Kingdom of Denmark
DOM: Dominican Republic
DZA: Algeria|People's Democratic Republic of Algeria
ECU: Ecuador|Republic of Ecuador
EGY: Egypt|Arab Republic of Egypt
ERI: Eritrea|State of Eritrea
ESH: Western Sahara|Sahrawi Arab Democratic Republic
ESP: Spain|Kingdom of Spain
EST: Estonia|Republic of Estonia
ETH: Ethiopia|Federal Democratic Republic of Ethiopia
FIN: Finland|Republic of Finland
FJI: Fiji|Republic of Fiji
FLK: Falkland Islands|Falklands|Malvinas|Islas Malvinas
FRA: France|French Republic
FRO: Faroe Islands|Faeroe Islands|Faroes
FSM: Micronesia|Federated States of Micronesia
GAB: Gabon|Gabonese Republic
GBR: United Kingdom|UK|U.K.|Britain|Great Britain|United Kingdom of Great Britain and Northern Ireland|England|Scotland|Wales|Northern Ireland
GEO: Georgia|Sakartvelo
GGY: Guernsey|Bailiwick of Guernsey
GHA: Ghana|Republic of Ghana
GIB: Gibraltar
GIN: Guinea|Republic of Guinea|Guinea-Conakry
GLP: Guadeloupe
GMB: Gambia|Republic of the Gambia
GNB: Guinea-Bissau|Guinea Bissau|Republic of Guinea-Bissau
GNQ: Equatorial Guinea|Republic of Equatorial Guinea
GRC: Greece|Hellenic Republic|Hellas
GRD: Grenada
GRL: Greenland|Kalaallit Nunaat
GTM: Guatemala|Republic of Guatemala
GUF: French Guiana|Guyane
GUM: Guam
GUY: Guyana|Republic of Guyana
HKG: Hong Kong|Hong Kong SAR|HKSAR|Hong Kong Special Administrative Region
HMD: Heard Island and McDonald Islands
HND: Honduras|Republic of Honduras
HRV: Croatia|Republic of Croatia
HTI: Haiti|Republic of Haiti
HUN: Hungary
IDN: Indonesia|Republic of Indonesia
IMN: Isle of Man
IND: India|Republic of India|Bharat
IOT: British Indian Ocean Territory|Chagos Islands|Chagos Archipelago|Diego Garcia
IRL: Ireland|Republic of Ireland|Eire|Éire
IRN: Iran|Islamic Republic of Iran
IRQ: Iraq|Republic of Iraq
ISL: Iceland|Republic of Iceland
ISR: Israel|State of Israel
ITA: Italy|Italian Republic
JAM: Jamaica
JEY: Jersey|Bailiwick of Jersey
JOR: Jordan|Hashemite Kingdom of Jordan
JPN: Japan
KAZ: Kazakhstan|Republic of Kazakhstan
KEN: Kenya|Republic of Kenya
KGZ: Kyrgyzstan|Kyrgyz Republic|Kirghizia
KHM: Cambodia|Kingdom of Cambodia|Kampuchea
KIR: Kiribati|Republic of Kiribati
KNA: Saint Kitts and Nevis|St Kitts and Nevis|St. Kitts and Nevis|Saint Kitts|St Kitts|St. Kitts|Nevis
KOR: South Korea|Republic of Korea|ROK|R.O.K.|S. Korea|Korea
KWT: Kuwait|State of Kuwait
LAO: Laos|Lao People's Democratic Republic|Lao PDR
LBN: Lebanon|Lebanese Republic
LBR: Liberia|Republic of Liberia
LBY: Libya|State of Libya
LCA: Saint Lucia|St Lucia|St. Lucia
LIE: Liechtenstein|Principality of Liechtenstein
LKA: Sri Lanka|Democratic Socialist Republic of Sri Lanka|Ceylon
LSO: Lesotho|Kingdom of Lesotho
LTU: Lithuania|Republic of Lithuania
LUX: Luxembourg|Grand Duchy of Luxembourg|Luxemburg
LVA: Latvia|Republic of Latvia
MAC: Macao|Macau|Macao SAR|Macao Special Administrative Region
MAF: Saint Martin|Saint-Martin|St. Martin|Collectivity of Saint Martin
MAR: Morocco|Kingdom of Morocco
MCO: Monaco|Principality of Monaco
MDA: Moldova|Republic of Moldova|Moldavia
MDG: Madagascar|Republic of Madagascar
MDV: Maldives|Republic of Maldives|Maldive Islands
MEX: Mexico|United Mexican States
MHL: Marshall Islands|Republic of the Marshall Islands
MKD: North Macedonia|Republic of North Macedonia|Macedonia|FYROM|Former Yugoslav Republic of Macedonia
MLI: Mali|Republic of Mali
MLT: Malta|Republic of Malta
MMR: Myanmar|Burma|Republic of the Union of Myanmar
MNE: Montenegro
MNG: Mongolia
MNP: Northern Mariana Islands|Commonwealth of the Northern Mariana Islands|Northern Marianas
MOZ: Mozambique|Republic of Mozambique
MRT: Mauritania|Islamic Republic of Mauritania
MSR: Montserrat
MTQ: Martinique
MUS: Mauritius|Republic of Mauritius
MWI: Malawi|Republic of Malawi
MYS: Malaysia
MYT: Mayotte
NAM: Namibia|Republic of Namibia
NCL: New Caledonia|Kanaky
NER: Niger|Republic of the Niger|Republic of Niger
NFK: Norfolk Island
NGA: Nigeria|Federal Republic of Nigeria|Niger Delta
NIC: Nicaragua|Republic of Nicaragua
NIU: Niue
NLD: Netherlands|Kingdom of the Netherlands|Holland
NOR: Norway|Kingdom of Norway
NPL: Nepal|Federal Democratic Republic of Nepal
NRU: Nauru|Republic of Nauru
NZL: New Zealand|Aotearoa
OMN: Oman|Sultanate of Oman
PAK: Pakistan|Islamic Republic of Pakistan
PAN: Panama|Republic of Panama
PCN: Pitcairn Islands|Pitcairn
PER: Peru|Republic of Peru
PHL: Philippines|Republic of the Philippines
PLW: Palau|Republic of Palau
PNG: Papua New Guinea|Independent State of Papua New Guinea|New Guinea
POL: Poland|Republic of Poland
PRI: Puerto Rico
PRK: North Korea|Democratic People's Republic of Korea|DPRK|D.P.R.K.|DPR Korea|N. Korea
PRT: Portugal|Portuguese Republic
PRY: Paraguay|Republic of Paraguay
PSE: Palestine|State of Palestine|Palestinian territories|Palestinian Territories|Occupied Palestinian Territory|Occupied Palestinian Territories|occupied Palestinian territories|Gaza|Gaza Strip|West Bank|East Jerusalem
PYF: French Polynesia|Tahiti
QAT: Qatar|State of Qatar
REU: Réunion|La Réunion|Reunion Island
ROU: Romania
RUS: Russia|Russian Federation
RWA: Rwanda|Republic of Rwanda
SAU: Saudi Arabia|Kingdom of Saudi Arabia|KSA
SDN: Sudan|Republic of the Sudan|Republic of Sudan
SEN: Senegal|Republic of Senegal
SGP: Singapore|Republic of Singapore
SGS: South Georgia and the South Sandwich Islands|South Georgia
SHN: Saint Helena, Ascension and Tristan da Cunha|Saint Helena|St Helena|St. Helena|Ascension Island|Tristan da Cunha
SJM: Svalbard and Jan Mayen|Svalbard|Jan Mayen
SLB: Solomon Islands|Solomons
SLE: Sierra Leone|Republic of Sierra Leone
SLV: El Salvador|Republic of El Salvador
SMR: San Marino|Republic of San Marino
SOM: Somalia|Federal Republic of Somalia
SPM: Saint Pierre and Miquelon|St. Pierre and Miquelon
SRB: Serbia|Republic of Serbia
SSD: South Sudan|Republic of South Sudan
STP: São Tomé and Príncipe|Sao Tome and Principe|Democratic Republic of Sao Tome and Principe
SUR: Suriname|Surinam|Republic of Suriname
SVK: Slovakia|Slovak Republic
SVN: Slovenia|Republic of Slovenia
SWE: Sweden|Kingdom of Sweden
SWZ: Eswatini|Swaziland|Kingdom of Eswatini
SXM: Sint Maarten
SYC: Seychelles|Republic of Seychelles
SYR: Syria|Syrian Arab Republic
TCA: Turks and Caicos Islands|Turks and Caicos
TCD: Chad|Republic of Chad
TGO: Togo|Togolese Republic
THA: Thailand|Kingdom of Thailand|Siam
TJK: Tajikistan|Republic of Tajikistan
TKL: Tokelau
TKM: Turkmenistan
TLS: Timor-Leste|East Timor|Timor Leste|Democratic Republic of Timor-Leste
TON: Tonga|Kingdom of Tonga
TTO: Trinidad and Tobago|Trinidad|Tobago|Republic of Trinidad and Tobago
TUN: Tunisia|Republic of Tunisia
TUR: Turkey|Türkiye|Turkiye|Republic of Türkiye|Republic of Turkey
TUV: Tuvalu
TWN: Taiwan|Republic of China|ROC|Chinese Taipei|Formosa
TZA: Tanzania|United Republic of Tanzania
UGA: Uganda|Republic of Uganda
UKR: Ukraine
UMI: United States Minor Outlying Islands
URY: Uruguay|Eastern Republic of Uruguay
USA: United States|U.S.|US|USA|U.S.A.|United States of America|America|New Mexico|New Jersey|New England
UZB: Uzbekistan|Republic of Uzbekistan
VAT: Vatican|Holy See|Vatican City|Vatican City State
VCT: Saint Vincent and the Grenadines|St Vincent and the Grenadines|St. Vincent and the Grenadines|Saint Vincent|St Vincent|St. Vincent
VEN: Venezuela|Bolivarian Republic of Venezuela
VGB: British Virgin Islands|BVI
VIR: U.S. Virgin Islands|US Virgin Islands|United States Virgin Islands|Virgin Islands of the United States|USVI
VNM: Vietnam|Viet Nam|Socialist Republic of Vietnam|Socialist Republic of Viet Nam
VUT: Vanuatu|Republic of Vanuatu
WLF: Wallis and Futuna|Wallis and Futuna Islands
WSM: Samoa|Independent State of Samoa
YEM: Yemen|Republic of Yemen
ZAF: South Africa|Republic of South Africa
ZMB: Zambia|Republic of Zambia
ZWE: Zimbabwe|Republic of Zimbabwe
# not in ISO 3166-1: user-assigned code XKX (used by the EU, IMF, SWIFT)
XKX: Kosovo|Republic of Kosovo
""")

# pycountry name forms that are not used as aliases (political or long formal forms that the
# curated list replaces).
SKIP_ISO_NAMES = {
    "TWN:Taiwan, Province of China",
    "COG:Congo",  # bare "Congo" in news is the DR Congo; see NAMES
}

# ---------------------------------------------------------------------------------------------
# Demonyms: nationality adjectives and nouns. Plurals of forms ending in -an/-i/-er are added
# automatically ("Russian" -> "Russians"); irregular nouns are written out. Forms shared by two
# countries are given to the one news means most often ("Dominican" -> Dominican Republic,
# "Congolese" -> DR Congo, "Samoan" -> Samoa, "Korean" -> South Korea).
# ---------------------------------------------------------------------------------------------
DEMONYMS = table("""
ABW: Aruban
AFG: Afghan|Afghans|Afghanistani
AGO: Angolan
AIA: Anguillan
ALA: Ålander|Alandic
ALB: Albanian
AND: Andorran
ARE: Emirati|Emirian
ARG: Argentine|Argentinian|Argentinean|Argentines
ARM: Armenian
ASM: American Samoan
ATG: Antiguan|Barbudan
AUS: Australian
AUT: Austrian
AZE: Azerbaijani|Azeri
BDI: Burundian
BEL: Belgian
BEN: Beninese
BFA: Burkinabe|Burkinabé
BGD: Bangladeshi
BGR: Bulgarian
BHR: Bahraini
BHS: Bahamian
BIH: Bosnian|Bosniak|Bosniaks|Herzegovinian
BLM: Barthélemois
BLR: Belarusian|Belarussian|Byelorussian|Belorussian
BLZ: Belizean
BMU: Bermudian
BOL: Bolivian
BRA: Brazilian
BRB: Barbadian|Bajan
BRN: Bruneian
BTN: Bhutanese
BWA: Motswana|Batswana|Botswanan
CAF: Central African
CAN: Canadian
CCK: Cocos Islander
CHE: Swiss
CHL: Chilean
CHN: Chinese
CIV: Ivorian
CMR: Cameroonian
COD: Congolese
COG: Congolese-Brazzaville
COK: Cook Islander
COL: Colombian
COM: Comorian|Comoran
CPV: Cape Verdean|Cabo Verdean
CRI: Costa Rican
CUB: Cuban
CUW: Curaçaoan|Curacaoan
CXR: Christmas Islander
CYM: Caymanian
CYP: Cypriot|Cypriots
CZE: Czech|Czechs
DEU: German
DJI: Djiboutian
DNK: Danish|Dane|Danes
DOM: Dominican
DZA: Algerian
ECU: Ecuadorian|Ecuadorean
EGY: Egyptian
ERI: Eritrean
ESH: Sahrawi|Saharawi|Western Saharan
ESP: Spanish|Spaniard|Spaniards
EST: Estonian
ETH: Ethiopian
FIN: Finnish|Finn|Finns
FJI: Fijian
FLK: Falkland Islander|Falklander
FRA: French|Frenchman|Frenchmen|Frenchwoman
FRO: Faroese|Faroe Islander
FSM: Micronesian
GAB: Gabonese
GBR: British|Briton|Britons|Scottish|Scots|Welsh|Northern Irish
GEO: Georgian
GGY: Guernseyman|Guernésiais
GHA: Ghanaian
GIB: Gibraltarian
GIN: Guinean
GLP: Guadeloupean|Guadeloupian
GMB: Gambian
GNB: Bissau-Guinean|Guinea-Bissauan
GNQ: Equatorial Guinean|Equatoguinean
GRC: Greek|Greeks|Hellenic
GRD: Grenadian
GRL: Greenlandic|Greenlander
GTM: Guatemalan
GUF: French Guianese
GUM: Guamanian
GUY: Guyanese
HKG: Hongkonger|Hong Konger
HND: Honduran
HRV: Croatian|Croat|Croats
HTI: Haitian
HUN: Hungarian
IDN: Indonesian
IMN: Manx
IND: Indian
IRL: Irish|Irishman|Irishmen|Irishwoman
IRN: Iranian
IRQ: Iraqi
ISL: Icelandic|Icelander
ISR: Israeli
ITA: Italian
JAM: Jamaican
JEY: Jerseyman|Jèrriais
JOR: Jordanian
JPN: Japanese
KAZ: Kazakh|Kazakhs|Kazakhstani|Kazakstani
KEN: Kenyan
KGZ: Kyrgyz|Kirghiz|Kyrgyzstani
KHM: Cambodian|Khmer|Kampuchean
KIR: I-Kiribati
KNA: Kittitian|Nevisian
KOR: South Korean|Korean
KWT: Kuwaiti
LAO: Laotian|Lao
LBN: Lebanese
LBR: Liberian
LBY: Libyan
LCA: Saint Lucian|St Lucian
LIE: Liechtensteiner
LKA: Sri Lankan
LSO: Basotho|Mosotho
LTU: Lithuanian
LUX: Luxembourger|Luxembourgish
LVA: Latvian
MAC: Macanese
MAR: Moroccan
MCO: Monégasque|Monegasque
MDA: Moldovan
MDG: Malagasy
MDV: Maldivian
MEX: Mexican
MHL: Marshallese
MKD: Macedonian|North Macedonian
MLI: Malian
MLT: Maltese
MMR: Burmese|Myanmarese
MNE: Montenegrin|Montenegrins
MNG: Mongolian|Mongol|Mongols
MNP: Northern Mariana Islander|Chamorro
MOZ: Mozambican
MRT: Mauritanian
MSR: Montserratian
MTQ: Martinican|Martiniquais
MUS: Mauritian
MWI: Malawian
MYS: Malaysian
MYT: Mahoran|Mahorais
NAM: Namibian
NCL: New Caledonian
NER: Nigerien
NFK: Norfolk Islander
NGA: Nigerian
NIC: Nicaraguan
NIU: Niuean
NLD: Dutch|Dutchman|Dutchmen|Dutchwoman|Netherlander
NOR: Norwegian
NPL: Nepali|Nepalese
NRU: Nauruan
NZL: New Zealander|New Zealanders
OMN: Omani
PAK: Pakistani
PAN: Panamanian
PCN: Pitcairn Islander
PER: Peruvian
PHL: Filipino|Filipinos|Filipina|Filipinas|Philippine
PLW: Palauan
PNG: Papua New Guinean
POL: Polish|Poles
PRI: Puerto Rican
PRK: North Korean
PRT: Portuguese
PRY: Paraguayan
PSE: Palestinian
PYF: French Polynesian|Tahitian
QAT: Qatari
REU: Réunionese|Reunionese
ROU: Romanian
RUS: Russian
RWA: Rwandan|Rwandese
SAU: Saudi|Saudi Arabian
SDN: Sudanese
SEN: Senegalese
SGP: Singaporean
SHN: Saint Helenian|St Helenian
SLB: Solomon Islander
SLE: Sierra Leonean
SLV: Salvadoran|Salvadorean
SMR: Sammarinese
SOM: Somali|Somalian
SPM: Saint-Pierrais|Miquelonnais
SRB: Serbian|Serb|Serbs
SSD: South Sudanese
STP: São Toméan|Sao Tomean|Santomean
SUR: Surinamese
SVK: Slovak|Slovaks|Slovakian
SVN: Slovenian|Slovene|Slovenes
SWE: Swedish|Swede|Swedes
SWZ: Swazi|Emaswati
SYC: Seychellois
SYR: Syrian
TCA: Turks and Caicos Islander
TCD: Chadian
TGO: Togolese
THA: Thai|Thais
TJK: Tajik|Tajiks|Tajikistani
TKL: Tokelauan
TKM: Turkmen|Turkmenistani
TLS: Timorese|East Timorese
TON: Tongan
TTO: Trinidadian|Tobagonian|Trinbagonian
TUN: Tunisian
TUR: Turkish|Turk|Turks
TUV: Tuvaluan
TWN: Taiwanese
TZA: Tanzanian
UGA: Ugandan
UKR: Ukrainian
URY: Uruguayan
USA: American
UZB: Uzbek|Uzbeks|Uzbekistani
VAT: Vatican
VCT: Vincentian|Saint Vincentian
VEN: Venezuelan
VGB: British Virgin Islander
VIR: U.S. Virgin Islander
VNM: Vietnamese
VUT: Ni-Vanuatu
WLF: Wallisian|Futunan
WSM: Samoan
YEM: Yemeni|Yemenite
ZAF: South African
ZMB: Zambian
ZWE: Zimbabwean
XKX: Kosovar|Kosovars|Kosovan
""")
# VAT's "Vatican" is the country name; no separate demonym row for it.
DEMONYMS.pop("VAT")

# ---------------------------------------------------------------------------------------------
# Capitals and seats of government (kind `capital`, code XXXGOV). Where a country's capital and
# its seat of government differ both are listed. Left out on purpose: capitals whose name is the
# country's own (Singapore, Monaco, Luxembourg, Djibouti, San Marino, Vatican City, Gibraltar,
# Kuwait keeps "Kuwait City"), and names that mostly mean something else in English-language news
# (Victoria, Hamilton, Kingston in Norfolk Island, George Town, Jamestown, Stanley, Douglas,
# Plymouth, The Valley, Saint-Denis, Cayenne, St. John's, San Jose without accent, "Male").
# ---------------------------------------------------------------------------------------------
CAPITALS = table("""
ABW: Oranjestad
AFG: Kabul
AGO: Luanda
ALA: Mariehamn
ALB: Tirana|Tiranë
AND: Andorra la Vella
ARE: Abu Dhabi
ARG: Buenos Aires
ARM: Yerevan
ASM: Pago Pago
ATF: Port-aux-Français|Port-aux-Francais
AUS: Canberra
AUT: Vienna
AZE: Baku
BDI: Gitega|Bujumbura
BEL: Brussels
BEN: Porto-Novo|Porto Novo|Cotonou
BES: Kralendijk
BFA: Ouagadougou
BGD: Dhaka|Dacca
BGR: Sofia
BHR: Manama
BHS: Nassau
BIH: Sarajevo
BLM: Gustavia
BLR: Minsk
BLZ: Belmopan
BOL: La Paz|Sucre
BRA: Brasília|Brasilia
BRB: Bridgetown
BRN: Bandar Seri Begawan
BTN: Thimphu
BWA: Gaborone
CAF: Bangui
CAN: Ottawa
CHE: Bern|Berne
CHL: Santiago|Santiago de Chile
CHN: Beijing
CIV: Yamoussoukro|Abidjan
CMR: Yaoundé|Yaounde
COD: Kinshasa
COG: Brazzaville
COK: Avarua
COL: Bogotá|Bogota
COM: Moroni
CPV: Praia
CRI: San José
CUB: Havana
CUW: Willemstad
CXR: Flying Fish Cove
CYP: Nicosia
CZE: Prague
DEU: Berlin
DMA: Roseau
DNK: Copenhagen
DOM: Santo Domingo
DZA: Algiers
ECU: Quito
EGY: Cairo
ERI: Asmara
ESP: Madrid
EST: Tallinn
ETH: Addis Ababa
FIN: Helsinki
FJI: Suva
FRA: Paris
FRO: Tórshavn|Torshavn
FSM: Palikir
GAB: Libreville
GBR: London
GEO: Tbilisi
GGY: St Peter Port|St. Peter Port|Saint Peter Port
GHA: Accra
GIN: Conakry
GLP: Basse-Terre
GMB: Banjul
GNB: Bissau
GNQ: Malabo
GRC: Athens
GRD: St. George's|St George's
GRL: Nuuk
GTM: Guatemala City
GUM: Hagåtña|Hagatna
GUY: Georgetown
HND: Tegucigalpa
HRV: Zagreb
HTI: Port-au-Prince
HUN: Budapest
IDN: Jakarta
IND: New Delhi
IRL: Dublin
IRN: Tehran|Teheran
IRQ: Baghdad
ISL: Reykjavik|Reykjavík
ISR: Jerusalem
ITA: Rome
JAM: Kingston
JEY: St Helier|St. Helier|Saint Helier
JOR: Amman
JPN: Tokyo
KAZ: Astana|Nur-Sultan
KEN: Nairobi
KGZ: Bishkek
KHM: Phnom Penh
KIR: South Tarawa|Tarawa
KNA: Basseterre
KOR: Seoul
KWT: Kuwait City
LAO: Vientiane
LBN: Beirut
LBR: Monrovia
LBY: Tripoli
LCA: Castries
LIE: Vaduz
LKA: Sri Jayawardenepura Kotte|Colombo
LSO: Maseru
LTU: Vilnius
LVA: Riga
MAF: Marigot
MAR: Rabat
MDA: Chisinau|Chișinău|Chişinău|Kishinev
MDG: Antananarivo
MDV: Malé
MEX: Mexico City
MHL: Majuro
MKD: Skopje
MLI: Bamako
MLT: Valletta
MMR: Naypyidaw|Naypyitaw|Nay Pyi Taw
MNE: Podgorica
MNG: Ulaanbaatar|Ulan Bator
MNP: Saipan
MOZ: Maputo
MRT: Nouakchott
MSR: Brades
MTQ: Fort-de-France
MUS: Port Louis
MWI: Lilongwe
MYS: Kuala Lumpur|Putrajaya
MYT: Mamoudzou
NAM: Windhoek
NCL: Nouméa|Noumea
NER: Niamey
NGA: Abuja
NIC: Managua
NIU: Alofi
NLD: Amsterdam|The Hague
NOR: Oslo
NPL: Kathmandu
NRU: Yaren
NZL: Wellington
OMN: Muscat
PAK: Islamabad
PAN: Panama City
PCN: Adamstown
PER: Lima
PHL: Manila
PLW: Ngerulmud|Melekeok
PNG: Port Moresby
POL: Warsaw
PRI: San Juan
PRK: Pyongyang
PRT: Lisbon
PRY: Asunción|Asuncion
PSE: Ramallah
PYF: Papeete
QAT: Doha
ROU: Bucharest
RUS: Moscow
RWA: Kigali
SAU: Riyadh
SDN: Khartoum
SEN: Dakar
SGS: King Edward Point
SJM: Longyearbyen
SLB: Honiara
SLE: Freetown
SLV: San Salvador
SOM: Mogadishu
SPM: Saint-Pierre
SRB: Belgrade
SSD: Juba
STP: São Tomé|Sao Tome
SUR: Paramaribo
SVK: Bratislava
SVN: Ljubljana
SWE: Stockholm
SWZ: Mbabane|Lobamba
SXM: Philipsburg
SYR: Damascus
TCA: Cockburn Town
TCD: N'Djamena|Ndjamena|N’Djamena
TGO: Lomé|Lome
THA: Bangkok
TJK: Dushanbe
TKM: Ashgabat|Ashkhabad
TLS: Dili
TON: Nuku'alofa|Nukuʻalofa
TTO: Port of Spain|Port-of-Spain
TUN: Tunis
TUR: Ankara
TUV: Funafuti
TWN: Taipei
TZA: Dodoma|Dar es Salaam
UGA: Kampala
UKR: Kyiv|Kiev
URY: Montevideo
USA: Washington|Washington, D.C.|Washington D.C.|Washington DC
UZB: Tashkent
VCT: Kingstown
VEN: Caracas
VGB: Road Town
VIR: Charlotte Amalie
VNM: Hanoi
VUT: Port Vila
WLF: Mata-Utu|Mata Utu
WSM: Apia
YEM: Sanaa|Sana'a|Sana’a
ZAF: Pretoria
ZMB: Lusaka
ZWE: Harare
XKX: Pristina|Prishtina|Priština
""")

# Seats of government and offices used as metonyms for a government (kind `capital`).
# Ministries, militaries and agencies ("the Pentagon", "the State Department") are in
# organisations.tsv.
SEATS = [
    ("Kremlin", "RUS", "Kremlin"),
    ("White House", "USA", "White House"),
    ("Foggy Bottom", "USA", "Foggy Bottom"),
    ("Zhongnanhai", "CHN", "Zhongnanhai"),
    ("Downing Street|10 Downing Street|Whitehall", "GBR", "Downing Street"),
    ("Élysée|Elysee|Élysée Palace|Elysee Palace|Elysée", "FRA", "Élysée Palace"),
    ("Quai d'Orsay", "FRA", "Quai d'Orsay"),
    ("Blue House|Cheong Wa Dae|Chong Wa Dae", "KOR", "Blue House"),
    ("Kasumigaseki", "JPN", "Kasumigaseki"),
    ("Bankova", "UKR", "Bankova"),
    ("Palazzo Chigi", "ITA", "Palazzo Chigi"),
    ("Moncloa|Moncloa Palace", "ESP", "Moncloa Palace"),
    ("Casa Rosada", "ARG", "Casa Rosada"),
    ("Planalto|Planalto Palace", "BRA", "Planalto Palace"),
    ("Miraflores Palace", "VEN", "Miraflores Palace"),
    ("Rashtrapati Bhavan", "IND", "Rashtrapati Bhavan"),
]

# ---------------------------------------------------------------------------------------------
# CountryInfo alt_names: the variants taken, as CountryInfo spells them (upper case) -> how they are
# written here. CountryInfo's <Nationality> lists mix demonyms, native and other-language names,
# nicknames ("THE GRAVEYARD OF EMPIRES"), historical names and many misspellings; only official or
# native names that English-language news does use, and that collide with nothing, are kept. A
# variant is taken only if the CountryInfo file given to the build lists it for that country.
# ---------------------------------------------------------------------------------------------
ALT_KEEP: dict[str, dict[str, str]] = {
    "ALB": {"SHQIPERIA": "Shqipëria"},
    "AUT": {"OSTERREICH": "Österreich", "OESTERREICH": "Oesterreich"},
    "CAF": {"CENTRAFRIQUE": "Centrafrique", "REPUBLIQUE CENTRAFRICAINE": "République centrafricaine",
            "CENTRAL AFRICAN REP.": "Central African Rep."},
    "CHE": {"SUISSE": "Suisse", "SCHWEIZ": "Schweiz", "SVIZZERA": "Svizzera"},
    "COD": {"REPUBLIQUE DEMOCRATIQUE DU CONGO": "République démocratique du Congo",
            "CONGO DEMOCRATIC REPUBLIC": "Congo Democratic Republic",
            "DEM. REP. OF THE CONGO": "Dem. Rep. of the Congo", "RD CONGO": "RD Congo"},
    "COG": {"REPUBLIQUE DU CONGO": "République du Congo", "BRAZZAVILLE CONGO": "Brazzaville Congo"},
    "CPV": {"CAP VERDE": "Cap Verde"},
    "CZE": {"CESKO": "Česko", "CESKA REPUBLIKA": "Česká republika", "CZECH REP.": "Czech Rep."},
    "DOM": {"REPUBLICA DOMINICANA": "República Dominicana", "DOM REP": "Dom Rep"},
    "ESH": {"SAHARA OCCIDENTAL": "Sahara Occidental"},
    "ETH": {"ETHOPIA": "Ethopia"},  # a misspelling common enough in wire copy to keep
    "FRA": {"REPUBLIQUE FRANCAISE": "République française"},
    "FRO": {"FOROYAR": "Føroyar"},
    "GEO": {"REPUBLIC OF GEORGIA": "Republic of Georgia", "GEORGIAN REPUBLIC": "Georgian Republic",
            "COUNTRY OF GEORGIA": "Country of Georgia"},
    "GNQ": {"GUINEA ECUATORIAL": "Guinea Ecuatorial", "EQ. GUINEA": "Eq. Guinea"},
    "GRC": {"ELLADA": "Ellada"},
    "GUF": {"GUYANE FRANCAISE": "Guyane française"},
    "GUM": {"GUAHAN": "Guåhån"},
    "HRV": {"HRVATSKA": "Hrvatska", "REPUBLIKA HRVATSKA": "Republika Hrvatska"},
    "HUN": {"MAGYARORSZAG": "Magyarország"},
    "KAZ": {"QAZAQSTAN": "Qazaqstan"},
    "KNA": {"ST. CHRISTOPHER AND NEVIS": "St. Christopher and Nevis",
            "SAINT CHRISTOPHER AND NEVIS": "Saint Christopher and Nevis"},
    "KOR": {"KOREA REPUBLIC": "Korea Republic"},
    "LTU": {"LIETUVA": "Lietuva"},
    "MAR": {"MAROC": "Maroc"},
    "MNE": {"CRNA GORA": "Crna Gora"},
    "MUS": {"ILE MAURICE": "Île Maurice"},
    "NCL": {"NOUVELLE CALEDONIE": "Nouvelle-Calédonie"},
    "PHL": {"PHILLIPINES": "Phillipines", "PHILLIPPINES": "Phillippines", "PHILIPINES": "Philipines"},
    "POL": {"POLSKA": "Polska"},
    "PRK": {"KOREA DPR": "Korea DPR", "DPR KOREA": "DPR Korea", "D.P.R. KOREA": "D.P.R. Korea"},
    "SVK": {"SLOVENSKO": "Slovensko"},
    "SWE": {"SVERIGE": "Sverige"},
    "TJK": {"TAJIK REPUBLIC": "Tajik Republic"},
    "TLS": {"TIMOR LOROSA'E": "Timor Lorosa'e"},
    "TZA": {"TANZANIA": "Tanzania"},
    "UKR": {"UKRAINA": "Ukraina"},
    "VGB": {"UK VIRGIN ISLANDS": "UK Virgin Islands"},
    "VIR": {"AMERICAN VIRGIN ISLANDS": "American Virgin Islands"},
}


def key(alias: str) -> str:
    """How the matcher compares aliases: case-insensitive, a leading "the" ignored."""
    a = " ".join(alias.replace("\u2019", "'").split()).lower()
    return a[4:] if a.startswith("the ") else a


def plural(demonym: str) -> str | None:
    """The plural noun of a demonym ending in -an, -i or -er ("Russian" -> "Russians"); others are written out."""
    last = demonym.split()[-1]
    if not last[:1].isupper() or last.endswith(("man", "ese", "ish")):
        return None
    if last.endswith(("an", "i", "er")):
        return demonym + "s"
    return None


def iso_names(country) -> list[str]:
    out = []
    for attr in ("name", "official_name", "common_name"):
        v = getattr(country, attr, None)
        if not v or f"{country.alpha_3}:{v}" in SKIP_ISO_NAMES:
            continue
        if v.lower().startswith("the "):
            v = v[4:]
        if "," in v:
            continue  # inverted forms ("Korea, Republic of"): the curated list has the natural order
        v = re.sub(r"\s*\(.*?\)\s*", " ", v).strip()  # "Holy See (Vatican City State)" -> "Holy See"
        if v:
            out.append(v)
    return out


def read_countryinfo(path: Path) -> dict[str, list[str]]:
    """ISO3 -> CountryInfo alt_names (Kosovo's row has no ISO code: XKX)."""
    out: dict[str, list[str]] = {}
    if not path.exists():
        return out
    with open(path, encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            iso = row["iso3"] or ("XKX" if row["name"] == "KOSOVO" else "")
            if iso:
                out[iso] = [a for a in row["alt_names"].split("|") if a]
    return out


def build(countryinfo: Path) -> tuple[list[dict[str, str]], list[str]]:
    ci = read_countryinfo(countryinfo)
    isos = {c.alpha_3: c for c in pycountry.countries}
    missing = sorted(set(isos) - set(NAMES))
    extra = sorted(set(NAMES) - set(isos) - {"XKX"})
    if missing or extra:
        raise SystemExit(f"curated names out of step with pycountry: missing {missing}, unknown {extra}")
    rows: list[dict[str, str]] = []
    notes: list[str] = []
    for iso in sorted(NAMES):
        curated = NAMES[iso]
        name = curated[0]
        candidates = list(curated) + (iso_names(isos[iso]) if iso in isos else [])
        for alt in ci.get(iso, []):
            written = ALT_KEEP.get(iso, {}).get(alt)
            if written:
                candidates.append(written)
                notes.append(f"{iso}: CountryInfo name variant {written!r}")
        aliases: list[str] = []
        seen: set[str] = set()
        for a in candidates:
            if len(key(a)) >= 2 and key(a) not in seen:
                seen.add(key(a))
                aliases.append(a)
        rows.append(row(aliases, iso, iso, "", "country", name))
        dem = DEMONYMS.get(iso)
        if dem:
            forms: list[str] = []
            for d in dem:
                if d not in forms:
                    forms.append(d)
                p = plural(d)
                if p and p not in forms and p not in dem:
                    forms.append(p)
            rows.append(row(forms, iso, iso, "", "demonym", name))
        cap = CAPITALS.get(iso)
        if cap:
            rows.append(row(cap, iso + "GOV", iso, "", "capital", cap[0]))
        for aliases_s, siso, sname in SEATS:
            if siso == iso:
                rows.append(row(aliases_s.split("|"), iso + "GOV", iso, "", "capital", sname))
    return rows, notes


def row(aliases: list[str], code: str, country: str, sector: str, kind: str, name: str) -> dict[str, str]:
    unique: list[str] = []
    keys: set[str] = set()
    for a in aliases:
        if key(a) not in keys and len(key(a)) >= 2:
            keys.add(key(a))
            unique.append(a)
    return {"aliases": "|".join(unique), "code": code, "country": country, "sector": sector,
            "kind": kind, "name": name, "start": "", "end": ""}


HEADER = f"""\
# countries.tsv: every ISO 3166-1 country and territory (plus Kosovo, XKX) by name, demonym and capital.
# Generated by tools/build_actors.py ({BUILD_DATE}); edit the curated tables in that script, not this file.
# Columns: aliases (|-separated), code, country (ISO3), sector, kind (country|demonym|capital), name, start, end.
# Capitals and seats of government have code XXXGOV and an empty sector, so an agent noun can refine them.
# Sources: ISO 3166-1 names via pycountry (LGPL-2.1 package; the names are facts);
#   extra name variants from CountryInfo (Philip A. Schrodt, CountryInfo.120116.txt,
#   https://github.com/openeventdata/CountryInfo), licensed CC BY-SA 3.0;
#   demonyms, capitals, seats of government and curated aliases written for detente.
# Licence of this file: CC BY-SA 3.0 (ShareAlike, because it adapts CountryInfo), attribution to
#   Philip A. Schrodt's CountryInfo and to the detente authors. See README.md in this folder.
"""


def render(rows: list[dict[str, str]]) -> str:
    lines = [HEADER.rstrip("\n"), "\t".join(COLUMNS)]
    for r in rows:
        cells = [r[c] for c in COLUMNS]
        for c in cells:
            if "\t" in c or "\n" in c:
                raise SystemExit(f"tab or newline in a cell: {c!r}")
        lines.append("\t".join(cells))
    return "\n".join(lines) + "\n"


def check_collisions(rows: list[dict[str, str]]) -> list[str]:
    by_key: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        for a in r["aliases"].split("|"):
            by_key[key(a)].add(r["code"])
    return [f"alias {k!r} names {sorted(v)}" for k, v in sorted(by_key.items()) if len(v) > 1]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--countryinfo", type=Path, default=DEFAULT_COUNTRYINFO,
                    help="shared/data/reference/countries.tsv (optional; skipped with a warning if absent)")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="do not write; exit 1 if --out differs")
    ap.add_argument("--verbose", action="store_true", help="list the CountryInfo names taken")
    args = ap.parse_args(argv)
    if not args.countryinfo.exists():
        print(f"warning: {args.countryinfo} not found: CountryInfo name variants left out", file=sys.stderr)
    rows, notes = build(args.countryinfo)
    problems = check_collisions(rows)
    for p in problems:
        print("collision:", p, file=sys.stderr)
    if problems:
        return 2
    text = render(rows)
    if args.check:
        current = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        if current != text:
            print(f"{args.out} is out of date; rerun tools/build_actors.py", file=sys.stderr)
            return 1
        return 0
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text, encoding="utf-8")
    kinds: dict[str, int] = defaultdict(int)
    for r in rows:
        kinds[r["kind"]] += 1
    if args.verbose:
        for n in notes:
            print(n)
    print(f"wrote {args.out} ({len(rows)} rows: " + ", ".join(f"{k} {v}" for k, v in sorted(kinds.items()))
          + f"; {len(notes)} CountryInfo variants)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
