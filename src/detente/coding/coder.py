"""The event coder: dependency rules over a parsed sentence -> Events with their evidence.

For each verbal or nominal trigger found in the rule book, the coder finds the source (subject,
passive agent, possessor, "by"/"from" phrase, modifying demonym), the target (object, passive
subject, the rule's preposition), expands coordinated actors, decides factuality from cues whose
scope is taken from the parse, and attaches date, place and attribution. Every event names its rule.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from spacy.tokens import Span, Token

from ..actors.matcher import ActorMatcher
from ..dates import DateResolver
from ..places import Gazetteer, PlaceFinder
from ..records import Actor, Article, Event, Place, Sentence, stable_id
from ..records import Span as TextSpan
from ..reference import Cameo
from .rules import Rule, RuleBook

SUBJ = {"nsubj", "csubj"}
PASS_SUBJ = {"nsubjpass", "csubjpass"}
OBJ = {"dobj", "obj", "attr", "oprd"}
TARGET_PREPS = ("to", "with", "against", "on", "at", "into", "toward", "towards", "for", "upon", "onto")
SOURCE_PREPS = ("by", "from")
CHAIN_DEPS = {"xcomp", "ccomp", "acl", "pcomp", "conj", "advcl", "relcl"}
POSS_PRONOUNS = {"their", "its", "his", "her", "our"}
BACKGROUND_MARKS = {"as", "while", "if", "unless", "once", "whether", "although", "though"}
#: roots of verbal acts whose target may be the subject of their that-clause ("demanded that Moscow release")
SUBJECT_PRONOUNS = {"it", "they", "he", "she", "we"}
#: prepositions of time and circumstance: a noun in such a phrase is outside the scope of the verb's cues
ADJUNCT_PREPS = {"during", "after", "before", "since", "amid", "following", "despite", "until"}
#: appeals (02), demands (10) and warnings (012): what they ask for or warn against is not (yet) an event
ASKING_ROOTS = {"02", "10"}
CLAUSE_TARGET_ROOTS = {"01", "02", "09", "10", "11", "12", "13"}
#: nouns through which a claim passes to the act ("claimed responsibility for a strike")
RESPONSIBILITY_NOUNS = {"responsibility", "credit"}
AMOUNT_NOUNS = {"billion", "million", "trillion", "$", "dollar", "euro", "pound", "yen", "amount", "sum", "worth"}
#: adverbs the parser attaches where a particle belongs ("handed the villages back to Azerbaijan")
PARTICLE_ADVS = {"back", "over", "out", "off", "down", "up", "away"}
CONTENT_NOUNS = {"day", "round", "series", "week", "message", "letter", "note", "expression", "gesture", "words", "statement", "package", "act"}


@dataclass(slots=True)
class Cues:
    negated: bool = False
    hedged: bool = False
    intent: bool = False
    threat: bool = False
    weak_intent: bool = False  # intent read only from "announce"-like verbs
    report: Token | None = None
    names: list[str] | None = None

    def add(self, name: str) -> None:
        if self.names is None:
            self.names = []
        self.names.append(name)


class EventCoder:
    """Built once (rules, matchers); codes one parsed document at a time."""

    def __init__(self, actors: ActorMatcher, rules: RuleBook, cameo: Cameo, dates: DateResolver,
                 places: PlaceFinder | None, max_sentence_tokens: int = 200):
        self.actors = actors
        self.rules = rules
        self.cameo = cameo
        self.dates = dates
        self.places = places
        self.max_tokens = max_sentence_tokens
        c = rules.cues
        self.modal, self.adverb, self.negator = c["modal"], c["adverb"], c["negator"]
        self.governor, self.noun_cue, self.report = c["governor"], c["noun"], c["report"]
        self.light, self.control = c["light"], c["control"]

    # ------------------------------------------------------------------ sentence
    def code_sentence(self, article: Article, sentence: Sentence, sent: Span,
                      memory: list[Actor] | None = None) -> list[Event]:
        """Events of one sentence; ``memory`` holds the article's actors so far ("both leaders")."""
        if len(sent) > self.max_tokens or len(sent) < 3:
            return []
        actors = self.actors.actors(sent, article.date)
        if memory is not None:
            _resolve_pairs(sent, actors, memory)
            memory.extend(a for i in sorted(actors) for a in actors[i])
        countries = {a.country for acts in actors.values() for a in acts if a.country}
        if len(countries) == 1 and self.places is not None:
            countries |= self.places.countries_in(sent)  # "Scholz arrived in Odesa"
        if len(countries) < 2:
            return []  # one country named: no dyad to code
        ctx = _Sentence(sent, actors, self.places.gazetteer if self.places is not None else None)
        found: list[tuple[Token, Rule, list[Actor], list[Actor], bool]] = []
        consumed: set[int] = set()
        for tok in sent:
            if tok.i in consumed:
                continue
            if tok.pos_ in ("VERB", "AUX") or (tok.pos_ == "NOUN" and tok.tag_.startswith("VB")):
                hit = self._verb(tok, ctx, consumed)
                if hit:
                    found.append(hit)
        for tok in sent:
            if tok.pos_ in ("NOUN", "PROPN") and tok.i not in consumed:
                hit = self._noun(tok, ctx)
                if hit:
                    found.append(hit)
            elif tok.dep_ == "aux" and tok.pos_ == "AUX":
                hit = self._obligation(tok, ctx)
                if hit:
                    found.append(hit)
        seen: dict[tuple[str, str | None, str | None], Event] = {}
        trigger_ids = {t.i for t, *_ in found}
        asks = {t.i for t, r, *_ in found if r.code[:2] in ASKING_ROOTS or r.code[:3] == "012"}
        obliged = {t.head.i for t, r, *_ in found if r.pos == "AUX"}  # what "must" be done has not been done
        asks |= obliged
        for trigger, rule, sources, targets, reciprocal in found:
            if _embedded(trigger, trigger_ids):
                continue  # "criticised Finland's decision to host U.S. troops": the hosting is not coded
            if trigger.i in obliged or _demanded(trigger, asks):
                continue  # "demanded that Moscow release the reporter": the release has not happened
            cues = self._cues(trigger)
            if rule.reverse:
                sources, targets = targets, sources
            pairs = _pairs(sources, targets, reciprocal)
            if rule.symmetric and targets and not (cues.negated or cues.intent or cues.threat or cues.weak_intent):
                pairs += [(t, s) for s, t in pairs]
            for src, tgt in pairs:
                ev = self._event(article, sentence, sent, trigger, rule, src, tgt, cues)
                if ev is None:
                    continue
                key = (ev.cameo[:2], src.country, tgt.country)  # one event per dyad and root per sentence
                if key in seen:  # the more specific code wins: "pledged to deepen security cooperation" is 0312
                    if len(ev.cameo) > len(seen[key].cameo):
                        seen[key] = ev
                    continue
                seen[key] = ev
        return list(seen.values())

    # ------------------------------------------------------------------ verbs
    def _verb(self, verb: Token, ctx: _Sentence, consumed: set[int]):  # type: ignore[no-untyped-def]
        lemma = verb.lemma_.lower()
        obj = _direct_object(verb)
        rule = self._best_rule(self.rules.rules_for("VERB", lemma), verb, obj)
        # a light verb whose object is a nominal trigger takes the noun's rule ("held talks")
        noun = _content_noun(obj) if obj is not None else None
        curated_obj = rule is not None and rule.objects and rule.origin == "curated"
        if noun is not None and not curated_obj and lemma in self.light:
            nrule = self._best_rule(self.rules.rules_for("NOUN", noun.lemma_.lower()), noun, None)
            if nrule is not None:
                sources = self._sources(verb, ctx) or self._noun_sources(noun, ctx)
                targets = (self._targets_prep(noun, nrule.preps, ctx) or self._targets_prep(verb, nrule.preps, ctx)
                           or self._generic_targets(noun, ctx) or self._generic_targets(verb, ctx)
                           or ctx.np(_dative(verb)) or self._clause_subject_target(noun, ctx, consumed))
                consumed.add(noun.i)
                if sources:
                    return (noun, nrule, sources, targets, nrule.reciprocal)
        if rule is None:
            return None
        # intent/negation governors with a complement: the complement is the event, not the governor
        comp = _complement(verb)
        if comp is not None and lemma in self.governor and lemma not in self.control:
            if self._best_rule(self.rules.rules_for("VERB", comp.lemma_.lower()), comp, _direct_object(comp)):
                return None
        sources = self._sources(verb, ctx)
        if not sources and rule.objects and obj is not None and obj.dep_ in PASS_SUBJ and \
                obj.lemma_.lower() in rule.objects:
            sources = ctx.np(obj)  # "North Korean soldiers have been deployed to Russia": the troops' country
        if not sources and rule.reverse and any(c.dep_ == "auxpass" for c in verb.children):
            sources = ctx.subject(verb, PASS_SUBJ)  # "was welcomed into NATO"
        if not sources:
            return None
        targets = self._targets(verb, rule, obj, ctx) or self._controller_subject(verb, ctx)
        if comp is not None and lemma in self.control:
            consumed.add(comp.i)
        if obj is not None and len(self._targets_prep(obj, ("between",), ctx)) < 2:
            consumed.add(obj.i)  # "hosted talks between A and B": the talks are coded too
        return (verb, rule, sources, targets, rule.reciprocal)

    def _obligation(self, aux: Token, ctx: _Sentence):  # type: ignore[no-untyped-def]
        """"Russia said that Sudan must return the helicopter": a demand by the speaker on the clause subject."""
        rules = self.rules.rules_for("AUX", aux.lower_)
        clause = aux.head
        if not rules or clause.dep_ != "ccomp" or clause.head.lemma_.lower() not in self.report:
            return None
        sources = ctx.subject(clause.head)
        targets = ctx.subject(clause)
        if not sources or not targets:
            return None
        return (aux, rules[0], sources, targets, False)

    def _best_rule(self, rules: list[Rule], tok: Token, obj: Token | None) -> Rule | None:
        if not rules:
            return None
        particles = {c.lower_ for c in tok.children
                     if c.dep_ == "prt" or (c.dep_ == "advmod" and c.lower_ in PARTICLE_ADVS)}
        preps = {c.lower_ for c in tok.children if c.dep_ in ("prep", "agent", "dative")}
        if obj is not None:
            preps |= {c.lower_ for c in obj.children if c.dep_ == "prep"}
        obj_lemmas = _object_lemmas(obj) if obj is not None else set()
        with_obj = _prep_object(tok, "with") if tok.pos_ in ("VERB", "AUX") else None
        if with_obj is not None:
            obj_lemmas |= _object_lemmas(with_obj)
        if tok.pos_ in ("NOUN", "PROPN"):
            obj_lemmas |= _noun_modifier_lemmas(tok)
        best, best_score = None, -1
        for r in rules:
            if r.particle and r.particle not in particles:
                continue
            if r.objects and not (r.objects & obj_lemmas):
                continue
            if r.reverse and r.preps and not (preps & set(r.preps)):
                continue  # a reverse rule needs its preposition: "welcomed into NATO", not "welcomed Kim"
            score = r.specificity + (3 if r.preps and preps & set(r.preps) else 0)
            if score > best_score:
                best, best_score = r, score
        return best

    def _sources(self, verb: Token, ctx: _Sentence, depth: int = 0) -> list[Actor]:
        passive = any(c.dep_ in PASS_SUBJ or c.dep_ == "auxpass" for c in verb.children)
        if passive:
            for c in verb.children:
                if c.dep_ == "agent":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return ctx.np(p)
            if depth > 0:  # "Iran's minister is expected to visit Turkey": the raised subject
                return ctx.subject(verb, PASS_SUBJ)
            return []
        for c in verb.children:
            if c.dep_ in SUBJ:
                if c.lower_ in ("who", "which", "that") and verb.dep_ == "relcl":
                    return ctx.np(verb.head)
                if c.lower_ in SUBJECT_PRONOUNS and not ctx.np(c):
                    return self._reporter(verb, ctx)  # "China said it opposed ...": it = China
                return ctx.np(c)
        if depth < 3 and verb.dep_ in ("xcomp", "conj", "advcl", "pcomp") and verb.head.i != verb.i:
            head = verb.head
            if verb.dep_ == "pcomp" and head.dep_ == "prep":
                head = head.head
            if head.lemma_.lower() in self.control and verb.dep_ != "conj":
                obj = _direct_object(head)  # "urged China to ...", "accused Minsk of massing ..."
                if obj is not None and ctx.np(obj):
                    return ctx.np(obj)
            if verb.dep_ == "conj" or head.pos_ in ("VERB", "AUX"):
                return self._sources(head, ctx, depth + 1)
        if verb.dep_ == "acl" and verb.head.pos_ in ("NOUN", "PROPN"):
            got = ctx.np(verb.head)
            gov = _governing_verb(verb.head)
            if not got and gov is not None and verb.head.dep_ in OBJ and depth < 3:
                return self._sources(gov, ctx, depth + 1)  # "Putin had no plans to meet Zelensky"
            return got
        return []

    def _reporter(self, verb: Token, ctx: _Sentence) -> list[Actor]:
        """The subject of the verb of saying whose clause holds ``verb`` (the antecedent of "it"/"they")."""
        node = verb
        for _ in range(3):
            if node.dep_ not in ("ccomp", "conj") or node.head.i == node.i:
                return []
            node = node.head
            if node.lemma_.lower() in self.report:
                return ctx.subject(node)
        return []

    def _targets(self, verb: Token, rule: Rule, obj: Token | None, ctx: _Sentence) -> list[Actor]:
        if rule.preps:
            got = self._targets_prep(verb, rule.preps, ctx) or (
                self._targets_prep(obj, rule.preps, ctx) if obj is not None else [])
            if not got and obj is not None and obj.lemma_.lower() in RESPONSIBILITY_NOUNS:
                act = _prep_object(obj, "for")  # "claimed responsibility for a strike on an Israeli base"
                got = self._generic_targets(act, ctx) if act is not None else []
            if got:
                return got
        if obj is not None:
            got = self._targets_prep(_content_noun(obj), ("between",), ctx)
            if len(got) >= 2:
                return got  # "hosted two days of talks between Armenia and Azerbaijan"
        if obj is not None and rule.objects and _prep_object(verb, "with") is not None and ctx.np(obj):
            return ctx.np(obj)  # "supplied Pyongyang with missiles"
        passive = any(c.dep_ in PASS_SUBJ for c in verb.children)
        if passive:
            for c in verb.children:
                if c.dep_ in PASS_SUBJ:
                    got = ctx.np(c, deep=self._deep(rule))
                    if got:
                        return got
        if obj is not None and not rule.objects:
            got = ctx.np(obj, deep=self._deep(rule))
            if got:
                return got
        dat = _dative(verb)
        if dat is not None and ctx.np(dat):
            return ctx.np(dat)
        if obj is not None:
            got = ctx.np(obj, deep=self._deep(rule)) if not rule.objects else []
            if got:
                return got
            got = self._generic_targets(obj, ctx)
            inner = _of_object(obj) or (_prep_object(obj, "in") if obj.lemma_.lower() in AMOUNT_NOUNS else None)
            if not got and inner is not None:
                got = self._generic_targets(inner, ctx)  # "$5.5 billion in support for Ukraine"
            if got:
                return got
        got = self._generic_targets(verb, ctx)
        if not got and obj is not None and rule.objects:
            got = ctx.np(obj, deep=self._deep(rule))  # "summoned the Russian ambassador", "seize a corridor across Armenia"
        if not got and rule.code[:2] in CLAUSE_TARGET_ROOTS:
            got = self._clause_subject(verb, ctx) or (
                self._clause_subject(obj, ctx) if obj is not None else [])
        comp = _complement(verb)
        if not got and rule.code[:2] in ("03", "13") and comp is not None:  # "pledged to lead a mission in Haiti"
            cobj = _direct_object(comp)
            got = self._generic_targets(comp, ctx) or (
                ctx.np(cobj, deep=True) or self._generic_targets(cobj, ctx) if cobj is not None else [])
        if not got and rule.code[:2] == "04":  # "arrived in Tel Aviv": the place's country
            got = self._place_target(verb, rule.preps or ("in", "to"), ctx)
        return got

    def _clause_subject(self, tok: Token, ctx: _Sentence) -> list[Actor]:
        """"demanded that Moscow release ...", "investigating reports that Russia used ...": the clause subject."""
        for c in tok.children:
            if c.dep_ in ("ccomp", "acl") and c.pos_ in ("VERB", "AUX") and any(
                    m.dep_ == "mark" and m.lower_ in ("that", "whether", "if") for m in c.children) or (
                    c.dep_ == "ccomp" and c.pos_ in ("VERB", "AUX")):
                for s in c.children:
                    if s.dep_ in SUBJ and ctx.np(s):
                        return ctx.np(s)
        return []

    def _controller_subject(self, verb: Token, ctx: _Sentence) -> list[Actor]:
        """"Kyiv accused Minsk of massing troops", "Kim thanked Putin for offering help": the accuser/thanker."""
        if verb.dep_ != "pcomp" or verb.head.dep_ != "prep" or verb.head.lower_ not in ("of", "for"):
            return []
        head = verb.head.head
        if head.lemma_.lower() not in self.control:
            return []
        return ctx.subject(head)

    def _place_target(self, tok: Token, preps: Iterable[str], ctx: _Sentence) -> list[Actor]:
        wanted = set(preps)
        for c in tok.children:
            if c.dep_ == "prep" and c.lower_ in wanted:
                for p in c.children:
                    if p.dep_ == "pobj":
                        got = ctx.place(p)
                        if got:
                            return got
        return []

    @staticmethod
    def _deep(rule: Rule) -> bool:
        return rule.code[:2] >= "14"

    def _targets_prep(self, tok: Token | None, preps: Iterable[str], ctx: _Sentence) -> list[Actor]:
        if tok is None:
            return []
        wanted = set(preps)
        kids = [c for c in tok.children]
        kids += [g for c in tok.children if c.dep_ == "advmod" and c.lower_ in PARTICLE_ADVS for g in c.children]
        for c in kids:
            if c.dep_ in ("prep", "dative") and c.lower_ in wanted:
                for p in c.children:
                    if p.dep_ == "pobj":
                        got = ctx.np(p)
                        if got:
                            return got
        return []

    def _generic_targets(self, tok: Token | None, ctx: _Sentence) -> list[Actor]:
        return self._targets_prep(tok, TARGET_PREPS, ctx)

    def _clause_subject_target(self, noun: Token, ctx: _Sentence, consumed: set[int]) -> list[Actor]:
        """"an invitation for Putin to visit": the subject of the noun's clause is the target."""
        for c in noun.children:
            if c.dep_ in ("advcl", "acl", "relcl") and c.pos_ in ("VERB", "AUX"):
                for s in c.children:
                    if s.dep_ in SUBJ and ctx.np(s):
                        consumed.add(c.i)
                        return ctx.np(s)
        return []

    # ------------------------------------------------------------------ nouns
    def _noun(self, noun: Token, ctx: _Sentence):  # type: ignore[no-untyped-def]
        rule = self._best_rule(self.rules.rules_for("NOUN", noun.lemma_.lower()), noun, _of_object(noun))
        if rule is None:
            return None
        between = self._targets_prep(noun, ("between",), ctx)
        if len(between) >= 2 and noun.dep_ not in SUBJ | PASS_SUBJ and noun.head.lemma_.lower() not in ("be", "have"):
            # "hosted talks between Armenia and Azerbaijan", "protest against cooperation between Moscow and
            # Pyongyang"; as a sentence subject ("the alliance between X and Y has ...") it is background
            return (noun, rule, between, [], True)
        sources = self._noun_sources(noun, ctx)
        if not sources:
            return None
        targets = self._targets_prep(noun, rule.preps, ctx) or self._targets_prep(noun, TARGET_PREPS, ctx)
        gov = _governing_verb(noun)
        if not targets and gov is not None and noun.dep_ in OBJ:
            targets = self._targets_prep(gov, rule.preps or TARGET_PREPS, ctx)
        if not targets and noun.dep_ == "pobj" and noun.head.lower_ in ("of", "for"):
            head = noun.head.head
            if head.lemma_.lower() in self.control:  # "accused Azerbaijan of ethnic cleansing"
                targets = ctx.subject(head)
        named_target = any(c.dep_ == "prep" and c.lower_ in rule.preps for c in noun.children)
        if not targets and not named_target and not (rule.reciprocal and len(sources) > 1):
            targets = ctx.other_actor(sources, noun)  # unless the target is named and is no actor: "attacks on shipping"
        return (noun, rule, sources, targets, rule.reciprocal)

    def _noun_sources(self, noun: Token, ctx: _Sentence) -> list[Actor]:
        for c in noun.children:
            if c.dep_ == "poss":
                if c.lower_ in POSS_PRONOUNS:
                    return ctx.pronoun(c, self._clause_subjects(noun, ctx))
                got = ctx.np(c)
                if got:
                    return got
        for c in noun.children:
            if c.dep_ == "prep" and c.lower_ in SOURCE_PREPS:
                for p in c.children:
                    if p.dep_ == "pobj" and ctx.np(p):
                        return ctx.np(p)
        own = ctx.at(noun)
        if own:
            return own  # "Russian military assistance", "U.S. sanctions"
        # "Kim's felicitations were conveyed", "the supply ... by X": the governing verb's subject
        gov = _governing_verb(noun)
        if gov is not None and (noun.dep_ in OBJ or (noun.dep_ == "pobj" and noun.head.lower_ in ("to", "on", "in"))):
            return self._sources(gov, ctx)
        head = noun.head
        if noun.dep_ == "pobj" and head.dep_ == "prep" and head.lower_ in ("of", "for"):
            gov = head.head
            if gov.lemma_.lower() in self.control and gov.pos_ in ("VERB", "AUX"):
                obj = _direct_object(gov)  # "accused Azerbaijan of ethnic cleansing"
                if obj is not None and ctx.np(obj):
                    return ctx.np(obj)
            if gov.lemma_.lower() in RESPONSIBILITY_NOUNS:  # "claimed responsibility for a drone strike"
                verb = _governing_verb(gov)
                if verb is not None:
                    return self._sources(verb, ctx)
        # "North Korea's recent actions, including the supply of ..."
        if noun.dep_ == "pobj" and head.dep_ == "prep" and head.head.pos_ in ("NOUN", "PROPN"):
            for c in head.head.children:
                if c.dep_ == "poss" and c.lower_ not in POSS_PRONOUNS and ctx.np(c):
                    return ctx.np(c)
        return []

    def _clause_subjects(self, tok: Token, ctx: _Sentence) -> list[Actor]:
        node = tok
        for _ in range(6):
            if node.pos_ in ("VERB", "AUX"):
                got = self._sources(node, ctx)
                if got:
                    return got
            if node.head.i == node.i:
                break
            node = node.head
        return []

    # ------------------------------------------------------------------ factuality
    def _cues(self, trigger: Token) -> Cues:
        cues = Cues()
        node = trigger
        for _ in range(8):
            self._local_cues(node, cues, governor=node.i != trigger.i)
            head = node.head
            if head.i == node.i:
                break
            dep = node.dep_
            hl = head.lemma_.lower()
            if node.pos_ in ("NOUN", "PROPN") and dep in OBJ | {"pobj", "nsubjpass", "nsubj", "conj", "appos"}:
                prep = head.lower_ if dep == "pobj" else None
                if prep in ADJUNCT_PREPS or (prep == "in" and node.lemma_.lower() in ("response", "retaliation")):
                    break  # "declined to arrest Putin during his visit": the visit is outside the refusal's scope
                if dep == "pobj":
                    head = head.head  # through the preposition
                    hl = head.lemma_.lower()
                if head.pos_ in ("VERB", "AUX") and hl in self.governor and (
                        dep in OBJ or (prep == "to" and self.governor[hl] == "intent")  # "agreed to a package"
                        or (prep in ("of", "for") and self.governor[hl] == "hedged")):  # "accused X of cleansing"
                    self._governor_cue(hl, cues, via_object=True)
                node = head
                continue
            if dep in ("xcomp", "ccomp") and any(m.dep_ in ("mark", "advmod") and m.lower_ == "whether"
                                                 for m in node.children):
                cues.hedged = True  # "has not decided whether to send": undecided, neither done nor refused
                cues.add("mark:whether")
                break
            if dep in ("xcomp", "ccomp", "acl", "pcomp", "conj", "advcl"):
                if head.pos_ == "ADP":  # "accused X of massing": through the preposition
                    if head.lower_ == "by" and node.tag_ == "VBG":  # "By forging an alliance, ..."
                        cues.hedged = True
                        cues.add("background:by-ing")
                        break
                    head = head.head
                    hl = head.lemma_.lower()
                if dep == "conj":
                    node = head
                    continue
                if dep == "advcl":
                    mark = next((m.lower_ for m in node.children if m.dep_ == "mark"), None)
                    if mark in BACKGROUND_MARKS:
                        cues.hedged = True
                        cues.add(f"background:{mark}")
                    break
                if hl in self.report and head.pos_ in ("VERB", "AUX"):
                    if self.report[hl] == "hedged":
                        cues.hedged = True
                        cues.add(f"report:{hl}")
                    cues.report = head
                    self._local_cues(head, cues, negation=False)
                    break
                if hl in self.governor:
                    self._governor_cue(hl, cues, via_object=False)
                elif head.pos_ in ("NOUN",) and hl in self.noun_cue:
                    self._flag(self.noun_cue[hl], cues, f"noun:{hl}")
                node = head
                continue
            break
        return cues

    def _governor_cue(self, lemma: str, cues: Cues, via_object: bool) -> None:
        kind = self.governor[lemma]
        if lemma in ("announce", "unveil", "approve"):
            cues.weak_intent = True
            cues.add(f"governor:{lemma}")
            return
        if via_object and kind in ("hedged",) and lemma not in ("accuse", "allege", "suspect"):
            return
        self._flag(kind, cues, f"governor:{lemma}")

    def _local_cues(self, node: Token, cues: Cues, negation: bool = True, governor: bool = True) -> None:
        if governor and node.lemma_.lower() == "rule" and any(c.dep_ == "prt" and c.lower_ == "out" for c in node.children):
            # "ruled out sending troops": negated; "did not rule out sending troops": a possibility
            neg = any(c.dep_ == "neg" for c in node.children)
            self._flag("hedged" if neg else "negated", cues, "governor:not-rule-out" if neg else "governor:rule-out")
            negation = False
        for c in node.children:
            cl = c.lower_
            if c.dep_ in ("aux", "auxpass") and cl in self.modal:
                self._flag(self.modal[cl], cues, f"modal:{cl}")
            elif c.dep_ == "neg" and negation:
                self._flag("negated", cues, f"neg:{cl}")
            elif c.dep_ == "advmod" and cl in self.adverb:
                self._flag(self.adverb[cl], cues, f"adverb:{cl}")
            elif c.dep_ == "advmod" and cl in self.negator and negation:
                self._flag("negated", cues, f"neg:{cl}")
            elif c.dep_ == "det" and cl == "no" and negation:
                self._flag("negated", cues, "neg:no")

    @staticmethod
    def _flag(kind: str, cues: Cues, name: str) -> None:
        if kind == "negated":
            cues.negated = True
        elif kind == "hedged":
            cues.hedged = True
        elif kind == "intent":
            cues.intent = True
        elif kind == "threat":
            cues.threat = True
        else:
            return
        cues.add(name)

    # ------------------------------------------------------------------ event
    def _event(self, article: Article, sentence: Sentence, sent: Span, trigger: Token, rule: Rule,
               src: Actor, tgt: Actor, cues: Cues) -> Event | None:
        if not src.country or not tgt.country or src.country == tgt.country:
            return None
        code = rule.code
        root = code[:2]
        factuality = "asserted"
        if cues.threat and root not in ("03", "13"):
            code = self.rules.intent_code(code, "threat") or code  # the threat itself was made: asserted
        elif (cues.intent or cues.weak_intent) and root not in ("03", "13"):
            new = self.rules.intent_code(code, "intent")
            if new is not None:
                code, factuality = new, "intent"
            elif cues.intent:
                factuality = "intent"
        if code[:2] == "03":
            factuality = "intent"  # 03x codes are statements of intent by definition
        if cues.hedged:
            factuality = "hedged"
        if cues.negated:
            factuality = "negated"
        if code not in self.cameo:
            code = code[:3] if code[:3] in self.cameo else code[:2]
        info = self.cameo.get(code)
        base = sent.start_char
        span = TextSpan(trigger.text, trigger.idx - base, trigger.idx - base + len(trigger))
        when, how = self.dates.event_date(sent, trigger, article.date, stop=cues.report)
        place: Place | None = None
        if self.places is not None:
            place = self.places.place_for(sent, trigger) or self._implied_place(code, src, tgt)
        return Event(
            event_id=stable_id(article.id, sentence.index, span.start, src.code, tgt.code, code, src.start, tgt.start),
            doc_id=article.id,
            sentence_index=sentence.index,
            sentence=sentence.text,
            date=when.isoformat() if when else None,
            date_source=how,
            source=src,
            target=tgt,
            cameo=code,
            cameo_name=info.name,
            root=info.root,
            quad=info.quad,
            goldstein=info.goldstein,
            plover=info.plover,
            factuality=factuality,  # type: ignore[arg-type]
            trigger=span,
            rule=rule.name,
            place=place,
            attribution=_attribution(sent, cues.report),
            article_date=article.date.isoformat() if article.date else None,
            cues=tuple(cues.names or ()),
        )


    def _implied_place(self, code: str, src: Actor, tgt: Actor) -> Place | None:
        """No place in the sentence: a visit happens in the visited country, hosting at home."""
        assert self.places is not None
        side = IMPLIED_PLACE.get(code[:3]) or IMPLIED_PLACE.get(code[:2])
        if side is None:
            return None
        actor = tgt if side == "target" else src
        named = self.places.gazetteer.by_alias.get(actor.text.lower()) if actor.kind == "capital" else None
        return named[0] if named else self.places.gazetteer.country(actor.country)


#: where an event with no place in its sentence happens, by CAMEO code prefix (documented in docs/formats.md)
IMPLIED_PLACE = {"042": "target", "043": "source"}


class _Sentence:
    """Actor lookups over one sentence's parse."""

    def __init__(self, sent: Span, actors: dict[int, list[Actor]], gazetteer: Gazetteer | None = None):
        self.sent = sent
        self.actors = actors
        self.gazetteer = gazetteer

    def at(self, tok: Token) -> list[Actor]:
        return list(self.actors.get(tok.i, ()))

    def np(self, tok: Token | None, deep: bool = False) -> list[Actor]:
        """Actors of the noun phrase headed by tok, with its coordinated conjuncts."""
        if tok is None:
            return []
        out: list[Actor] = []
        for t in _conjuncts(tok):
            got = self.at(t)
            if not got:
                got = self._inside(t, deep)
            elif (of := _of_object(t)) is not None and len(_conjuncts(of)) > 1:
                # "the foreign ministers of Armenia and Azerbaijan": the composed actor names the first only
                got = got + [a for c in _conjuncts(of)[1:] for a in self.at(c)]
            out.extend(got)
        return out

    def subject(self, tok: Token, deps: set[str] = SUBJ) -> list[Actor]:
        """Actors of ``tok``'s (active, or with ``PASS_SUBJ`` passive) subject."""
        return next((self.np(c) for c in tok.children if c.dep_ in deps), [])

    def _inside(self, tok: Token, deep: bool) -> list[Actor]:
        # "Russia's Kursk region", "the town of Avdiivka", and for attacks "military sites in Iran"
        for c in tok.children:
            if c.dep_ in ("poss", "compound", "nmod") and self.at(c):
                return self.at(c)
        for c in tok.children:
            if c.dep_ == "prep" and (c.lower_ == "of" or (deep and c.lower_ in ("in", "near", "across"))):
                for p in c.children:
                    if p.dep_ == "pobj" and self.at(p):
                        return self.np(p)  # "the leaders of China and Japan"
                    if p.dep_ == "pobj" and deep:
                        got = self.place(p)  # "a hardware store in Kharkiv"
                        if got:
                            return got
        return []

    def place(self, tok: Token) -> list[Actor]:
        """A named city, region or site (gazetteer) standing for its country: "arrived in Tel Aviv"."""
        if self.gazetteer is None or tok.pos_ != "PROPN":
            return []
        left = tok
        while left.i > self.sent.start and self.sent.doc[left.i - 1].dep_ == "compound" and \
                self.sent.doc[left.i - 1].head.i == tok.i and self.sent.doc[left.i - 1].pos_ == "PROPN":
            left = self.sent.doc[left.i - 1]
        span = self.sent.doc[left.i:tok.i + 1]
        hit = self.gazetteer.by_alias.get(" ".join(span.text.lower().split()))
        if hit is None or hit[1] == "country" or not hit[0].country:
            return []
        place = hit[0]
        base = self.sent.start_char
        return [Actor(place.country, place.country, None, place.name, span.text, span.start_char - base,
                      span.end_char - base, "place")]

    def pronoun(self, pron: Token, clause_subjects: list[Actor]) -> list[Actor]:
        """his/her -> the nearest person named before; their -> the nearest plural actor before (the Houthis),
        else the clause subject; its -> the clause subject."""
        if pron.lower_ == "their":
            plural = [i for i, acts in self.actors.items() if i < pron.i and self.sent.doc[i].dep_ not in SUBJ and (
                self.sent.doc[i].tag_ in ("NNS", "NNPS") or any(a.kind == "group" for a in acts))]
            if plural:
                return self.at(self.sent.doc[max(plural)])
        if pron.lower_ in ("his", "her"):
            best: Actor | None = None
            for i, acts in self.actors.items():
                if i < pron.i:
                    for a in acts:
                        if a.kind == "person" or a.sector == "GOV":
                            best = a if best is None or i > self._index(best) else best
            if best is not None:
                return [best]
        return clause_subjects

    def _index(self, actor: Actor) -> int:
        for i, acts in self.actors.items():
            if actor in acts:
                return i
        return -1

    def other_actor(self, sources: list[Actor], near: Token) -> list[Actor]:
        """The one other country named in the sentence (not as a place), for targetless nominal events."""
        src = {a.country for a in sources}
        cands: dict[str, tuple[int, Actor]] = {}
        for i, acts in self.actors.items():
            tok = self.sent.doc[i]
            if tok.dep_ == "pobj" and tok.head.lower_ in ("in", "at", "near", "across", "within"):
                continue
            for a in acts:
                if a.country and a.country not in src and a.sector != "MED":
                    dist = abs(i - near.i)
                    if a.country not in cands or dist < cands[a.country][0]:
                        cands[a.country] = (dist, a)
        if len(cands) == 1:
            return [next(iter(cands.values()))[1]]
        return []


PAIR_NOUNS = {"leader", "side", "country", "nation", "government", "president", "state", "capital", "neighbour",
              "neighbor", "ally", "party"}


def _resolve_pairs(sent: Span, actors: dict[int, list[Actor]], memory: list[Actor]) -> None:
    """"both leaders", "the two countries" -> the last two countries named in the article."""
    for tok in sent:
        if tok.i in actors or tok.lemma_.lower() not in PAIR_NOUNS or tok.tag_ not in ("NNS", "NNPS"):
            continue
        if not any(c.lower_ in ("both", "two") for c in tok.children):
            continue
        seen: dict[str, Actor] = {}
        for a in reversed(memory):
            if a.country and a.country not in seen:
                seen[a.country] = a
            if len(seen) == 2:
                break
        if len(seen) == 2:
            base = sent.start_char
            text = sent.doc[tok.left_edge.i:tok.i + 1]
            actors[tok.i] = [Actor(a.code, a.country, a.sector, a.name, text.text, text.start_char - base,
                                   text.end_char - base, "coreference") for a in reversed(seen.values())]


def _demanded(trigger: Token, asks: set[int]) -> bool:
    """The trigger is the content of an appeal or demand (its that- or to-clause)."""
    node = trigger
    for _ in range(3):
        if node.dep_ == "pcomp" and node.head.lower_ in ("against", "from") and node.head.head.i in asks:
            return True  # "warned NATO against sending troops": what is warned against has not happened
        if node.dep_ not in ("ccomp", "xcomp") or node.head.i == node.i:
            return False
        node = node.head
        if node.i in asks:
            return True
    return False


def _embedded(trigger: Token, triggers: set[int]) -> bool:
    """The trigger sits in a clause complementing a noun that is the object of another trigger."""
    node = trigger
    for _ in range(4):
        if node.dep_ == "acl" and node.head.dep_ in OBJ and node.head.head.i in triggers and \
                node.tag_ in ("VB", "VBG", "VBN"):  # "decision to host", not "reports that Russia used"
            return True
        if node.head.i == node.i:
            return False
        node = node.head
    return False


def _pairs(sources: list[Actor], targets: list[Actor], reciprocal: bool) -> list[tuple[Actor, Actor]]:
    if targets:
        return [(s, t) for s in sources for t in targets]
    if reciprocal and len(sources) > 1:
        return [(s, t) for s in sources for t in sources if s is not t]
    return []


def _conjuncts(tok: Token) -> list[Token]:
    out = [tok]
    stack = [tok]
    while stack:
        t = stack.pop()
        for c in t.children:
            if c.dep_ == "conj" and c.pos_ in ("NOUN", "PROPN", "ADJ") and c not in out:
                out.append(c)
                stack.append(c)
    return out


def _direct_object(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("dobj", "obj"):
            return c
    for c in verb.children:
        if c.dep_ == "attr" and c.pos_ in ("NOUN", "PROPN") and verb.lemma_.lower() != "be":
            return c  # "became a full member of ..."
    for c in verb.children:
        if c.dep_ in PASS_SUBJ:
            return c
    return None


def _dative(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ == "dative" and c.pos_ in ("NOUN", "PROPN"):
            return c
    return None


def _complement(verb: Token) -> Token | None:
    for c in verb.children:
        if c.dep_ in ("xcomp", "ccomp") and c.pos_ in ("VERB", "AUX"):
            return c
    return None


def _content_noun(obj: Token) -> Token:
    """"a message of congratulations" -> congratulations; otherwise the object itself."""
    if obj.lemma_.lower() in CONTENT_NOUNS:
        of = _of_object(obj)
        if of is not None:
            return of
    return obj


def _of_object(noun: Token) -> Token | None:
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            for p in c.children:
                if p.dep_ in ("pobj", "pcomp"):
                    return p
    return None


def _prep_object(tok: Token, prep: str) -> Token | None:
    for c in tok.children:
        if c.dep_ == "prep" and c.lower_ == prep:
            for p in c.children:
                if p.dep_ == "pobj":
                    return p
    return None


def _object_lemmas(obj: Token) -> set[str]:
    out = {obj.lemma_.lower(), obj.lower_}
    out |= _noun_modifier_lemmas(obj)
    for inner in (_of_object(obj), _prep_object(obj, "in") if obj.lemma_.lower() in AMOUNT_NOUNS else None):
        if inner is not None:
            out |= {inner.lemma_.lower(), inner.lower_} | _noun_modifier_lemmas(inner)
    for c in obj.children:
        if c.dep_ == "conj":
            out.add(c.lemma_.lower())
    return out


def _noun_modifier_lemmas(noun: Token) -> set[str]:
    out = {c.lemma_.lower() for c in noun.children if c.dep_ in ("amod", "compound", "nmod")}
    of = None
    for c in noun.children:
        if c.dep_ == "prep" and c.lower_ == "of":
            of = c
    if of is not None:
        for p in of.children:
            if p.dep_ == "pobj":
                out.add(p.lemma_.lower())
                out |= {c.lemma_.lower() for c in p.children if c.dep_ in ("amod", "compound")}
    return out


def _governing_verb(noun: Token) -> Token | None:
    head = noun.head
    if noun.dep_ == "pobj" and head.dep_ == "prep":
        head = head.head
    return head if head.pos_ in ("VERB", "AUX") and head.i != noun.i else None


def _attribution(sent: Span, report: Token | None) -> str | None:
    if report is not None:
        for c in report.children:
            if c.dep_ in SUBJ:
                return sent.doc[c.left_edge.i:c.right_edge.i + 1].text
    for tok in sent:
        if tok.lower_ == "according" and tok.dep_ == "prep":
            for c in tok.children:
                if c.lower_ == "to":
                    for p in c.children:
                        if p.dep_ == "pobj":
                            return sent.doc[p.left_edge.i:p.right_edge.i + 1].text
    return None

