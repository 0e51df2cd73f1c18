"""Train the tone model (offensive / threatening Danish) and write the shipped artefact.

    .venv/bin/pip install scikit-learn      # or: pip install -e '.[train]'
    .venv/bin/python scripts/train_tone.py

Reads (nothing is downloaded):

* ``../shared/data/offensive/offenseval-da-training-v1.tsv`` — DKhate / OffensEval 2020
  Danish training split, NOT/OFF (Sigurbergsson & Derczynski, LREC 2020, CC BY 4.0);
* ``../shared/data/offensive/dkhate_train_with_subtasks.tsv`` — the sub-task B labels, for the
  threat signal (TTH = targeted threat, 11 items);
* ``../shared/data/lexicons/`` — LDNOOBW Danish list and its unmerged PR (CC BY 4.0), the noisy
  LDNOOBW v2 list (CC0 1.0; cleaned here) and AFINN-da (Apache-2.0).

Writes ``src/omtanke/detectors/data/tone.model.json.gz`` (the model, loadable without
scikit-learn), ``tone.scores.json`` (cross-validated scores, data hashes, configuration and
reference scores for the runtime test) and ``tone.LICENSE.txt``.

Evaluation: stratified 10-fold cross-validation on the training split; inside every outer
fold the regularisation strength and the decision threshold are chosen by an inner stratified
5-fold cross-validation on the outer training part only (nested CV), and the feature pruning
(top-K features by |weight|, then refit) is part of every fit. The shipped model repeats the
inner procedure on all training data.

Also prints, as a sanity check only (never trained on), how the detector does on
``../shared/eval/dev.jsonl``.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import gzip
import hashlib
import json
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from joblib import Parallel, delayed
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, log_loss, precision_score, recall_score
from sklearn.model_selection import StratifiedKFold

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from omtanke.detectors import tone  # noqa: E402
from omtanke.detectors.tone import (  # noqa: E402
    DENSE_FEATURES,
    THREAT_FEATURES,
    ToneDetector,
    ToneLexicon,
    ToneModel,
    featurize,
    threat_evidence,
    threat_features,
)
from omtanke.text import Document  # noqa: E402

SHARED = REPO.parent / "shared"
DATA = SHARED / "data"
OFFENSIVE = DATA / "offensive" / "offenseval-da-training-v1.tsv"
SUBTASKS = DATA / "offensive" / "dkhate_train_with_subtasks.tsv"
LDNOOBW = DATA / "lexicons" / "ldnoobw" / "da.txt"
LDNOOBW_PR = DATA / "lexicons" / "ldnoobw" / "da.unmerged-pr-3c8b728.txt"
LDNOOBW_V2 = DATA / "lexicons" / "ldnoobw_v2" / "da.txt"
AFINN = DATA / "lexicons" / "afinn" / "AFINN-da-32.txt"
DEV = SHARED / "eval" / "dev.jsonl"
OUT = REPO / "src" / "omtanke" / "detectors" / "data"

SEED = 20200513
OUTER_FOLDS = 10
INNER_FOLDS = 5
C_GRID = (3.0, 10.0, 30.0)
#: Features kept per block after the first fit (keeps the artefact small; see docs/TONE.md).
K_WORD = 12_000
K_CHAR = 40_000
CHAR_MIN_DF = 2
WORD_MIN_DF = 1
#: The lexicon block is multiplied by this before the linear model (folded into its weights).
DENSE_SCALE = 2.0
#: Regularisation grid of the threat model (5 features, 11 positives).
THREAT_C_GRID = (0.1, 1.0, 10.0, 100.0, 1000.0)

# --- lexicons -------------------------------------------------------------------------------

#: LDNOOBW v2 lines that are mojibake of 'æ' written as an apostrophe, repaired.
V2_REPAIR = {
    "dumme k'lling": "dumme kælling",
    "grimme k'lling": "grimme kælling",
    "hold k'ft": "hold kæft",
    "tudefj's": "tudefjæs",
}
#: LDNOOBW v2 entries dropped: innocent, descriptive (medical, sexual, legal) or too mild.
V2_DROP = frozenset(
    """abort aborter abortist agger agterstavn ambiseksualitet ambiseksuel amboseksuel
    baby-kanon begær bestialitet bestialsk blodig blodskam bolde brian brokker bryster
    brystvorte dige dildoer dyrisk egoisme ejakulation ejakulationer ejakulere ejakulerede
    ejakulerer endetarm erektion fallos fj's flis fælg hane haner hebefil hebefiler hebefili
    incestuøse jylland jyllandsk klitoris knapper knop ko kran krog køn liderlig livmoder nymfe
    nymfomani nynazistisk onanere onani orgasme orgasmer orgie orgier osteged panseksuel pervers
    pokkers pornografi prikker prostitueret pungen pædofil pædofili rasende rejse roset
    rulletobak rumpe sadisme sjofelheder skamlæber skrue sluge snuppe sodoma sodomi sodomiseret
    spjætte sprække sutte svans svensker sæd sædafgang sædafgange testikel tøs udbrød urin
    urinrøret vagabond voldtage voldtaget voldtægt voldtægtsforbryder voldtægtsmand zoofil
    zoofili æsler""".split()
) | {"din mor", "for pokker", "trænge ind", "x bedømt"}
#: Insults and slurs aimed at a person, curated by the Omtanke project (MPL-2.0); together
#: with the person-directed LDNOOBW entries they form the "insult" feature.
CURATED_INSULTS = """idiot idioter kælling kællinger svin svinet hjernedød hjernedøde hjernedødt
    klovn kryb løgner spasser spassere mongol debil debile evnesvag evnesvage åndssvag åndssvage
    fjols tåbe kvaj kvajpande skvadderhoved nar narrøv taber tabere luder ludere so møgso
    møgkælling retard retarderet retarderede perker perkere neger negre snotskovl skøge hore
    horeunge skiderik psykopat plebs pikfjæs klaphat sinke""".split()
#: Expletives (not aimed at anyone in themselves), curated by the Omtanke project.
CURATED_SWEAR = """fuck fucking fandme fanme satme kraftedeme kræftedeme pis pisse lortet
    fanden satan satans helvede""".split()
#: Person-directed entries of the LDNOOBW lists (also counted as insults).
LDNOOBW_INSULTS = [
    *"""luder røvhul røvhuller sinke retard mongol spasser idiot narrøv nar møgfisse møgluder
    taber luderhoved pikhoved skiderik klaphat tæve tæver tudefjæs niggere sædspand""".split(),
    "klamme so",
    "klamme luderso",
    "dumme svin",
    "dumme kælling",
    "grimme kælling",
    "din dumme idiot",
    "din fucking idiot",
    "din lille lort",
]


def read_lines(path: Path) -> list[str]:
    return [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]


def build_profanity() -> tuple[list[str], list[str], dict[str, int]]:
    """The cleaned profanity list, its person-directed insults and the count per source."""
    words: set[str] = set()
    counts: dict[str, int] = {}
    base = set(read_lines(LDNOOBW)) | set(read_lines(LDNOOBW_PR))
    counts["ldnoobw+pr"] = len(base)
    words |= {w.lower() for w in base}
    v2: set[str] = set()
    for line in read_lines(LDNOOBW_V2):
        w = V2_REPAIR.get(line.lower(), line.lower())
        if "ã" in w or "'" in w or w in V2_DROP:  # mojibake or innocent
            continue
        v2.add(w.rstrip(".,"))
    counts["ldnoobw_v2_kept"] = len(v2)
    words |= v2
    curated = {w for w in CURATED_INSULTS + CURATED_SWEAR if w not in words}
    counts["curated"] = len(curated)
    words |= curated
    insults = {w for w in CURATED_INSULTS + LDNOOBW_INSULTS if w in words}
    return sorted(words), sorted(insults), counts


def build_afinn() -> dict[str, int]:
    out: dict[str, int] = {}
    for line in AFINN.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            word, value = line.rsplit("\t", 1)
            out[word.strip().lower()] = int(value)
    return out


# --- data -----------------------------------------------------------------------------------


def read_offenseval() -> tuple[list[str], np.ndarray]:
    texts: list[str] = []
    labels: list[int] = []
    with OFFENSIVE.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            if len(row) != 3 or row[2] not in ("OFF", "NOT"):
                continue  # the malformed last row ("4000    [deleted]   NOT")
            texts.append(row[1])
            labels.append(1 if row[2] == "OFF" else 0)
    return texts, np.array(labels, dtype=np.int64)


def read_subtasks() -> tuple[list[str], np.ndarray]:
    texts: list[str] = []
    tth: list[int] = []
    with SUBTASKS.open(encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader)
        for row in reader:
            if len(row) < 5:
                continue
            texts.append(row[1])
            tth.append(1 if row[4] == "TTH" else 0)
    return texts, np.array(tth, dtype=np.int64)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


#: Row indices into the corpus: a list or a NumPy index array.
Index = Sequence[int] | np.ndarray

# --- model ----------------------------------------------------------------------------------


def _ident(doc: Any) -> Any:
    return doc


@dataclass
class Corpus:
    words: list[list[str]]
    chars: list[list[str]]
    dense: np.ndarray


def make_corpus(texts: Sequence[str], lexicon: ToneLexicon) -> Corpus:
    feats = [featurize(t, lexicon) for t in texts]
    return Corpus(
        [sorted(f.words) for f in feats],
        [sorted(f.chars) for f in feats],
        np.array([f.dense for f in feats], dtype=np.float64) * DENSE_SCALE,
    )


@dataclass
class Fitted:
    word: TfidfVectorizer
    char: TfidfVectorizer
    clf: LogisticRegression
    n_docs: int

    def matrix(self, corpus: Corpus, idx: Index) -> sp.csr_matrix:
        xw = self.word.transform([corpus.words[i] for i in idx])
        xc = self.char.transform([corpus.chars[i] for i in idx])
        return sp.hstack([xw, xc, sp.csr_matrix(corpus.dense[list(idx)])]).tocsr()

    def decision(self, corpus: Corpus, idx: Index) -> np.ndarray:
        return np.asarray(self.clf.decision_function(self.matrix(corpus, idx)))


def _vectorizer(min_df: int, vocabulary: Sequence[str] | None = None) -> TfidfVectorizer:
    return TfidfVectorizer(
        analyzer=_ident,
        binary=True,
        use_idf=True,
        smooth_idf=True,
        sublinear_tf=False,
        norm="l2",
        min_df=1 if vocabulary is not None else min_df,
        vocabulary=vocabulary,
        dtype=np.float64,
    )


def _fit_once(
    corpus: Corpus,
    y: np.ndarray,
    idx: Index,
    c: float,
    wv: TfidfVectorizer,
    cv: TfidfVectorizer,
) -> Fitted:
    xw = wv.fit_transform([corpus.words[i] for i in idx])
    xc = cv.fit_transform([corpus.chars[i] for i in idx])
    x = sp.hstack([xw, xc, sp.csr_matrix(corpus.dense[list(idx)])]).tocsr()
    clf = LogisticRegression(C=c, class_weight="balanced", max_iter=5000, solver="liblinear")
    clf.fit(x, y[list(idx)])
    return Fitted(wv, cv, clf, len(idx))


def fit(corpus: Corpus, y: np.ndarray, idx: Index, c: float) -> Fitted:
    """Fit, keep the top-K features per block by |weight|, refit on those."""
    first = _fit_once(corpus, y, idx, c, _vectorizer(WORD_MIN_DF), _vectorizer(CHAR_MIN_DF))
    coef = first.clf.coef_[0]
    nw = len(first.word.vocabulary_)
    nc = len(first.char.vocabulary_)

    def top(names: np.ndarray, weights: np.ndarray, k: int) -> list[str]:
        if len(names) <= k:
            return sorted(names.tolist())
        keep = np.argsort(-np.abs(weights), kind="stable")[:k]
        return sorted(names[keep].tolist())

    words = top(first.word.get_feature_names_out(), coef[:nw], K_WORD)
    chars = top(first.char.get_feature_names_out(), coef[nw : nw + nc], K_CHAR)
    return _fit_once(
        corpus, y, idx, c, _vectorizer(WORD_MIN_DF, words), _vectorizer(CHAR_MIN_DF, chars)
    )


def best_threshold(y: np.ndarray, scores: np.ndarray) -> tuple[float, float]:
    """The threshold on ``scores`` with the best macro-F1 (midpoint between neighbours)."""
    order = np.argsort(-scores, kind="stable")
    s = scores[order]
    t = y[order]
    pos = t.sum()
    neg = len(t) - pos
    tp = np.cumsum(t)
    fp = np.cumsum(1 - t)
    fn = pos - tp
    tn = neg - fp
    f1_pos = 2 * tp / np.maximum(2 * tp + fp + fn, 1)
    f1_neg = 2 * tn / np.maximum(2 * tn + fn + fp, 1)
    macro = (f1_pos + f1_neg) / 2
    # only cut between distinct scores
    valid = np.r_[s[:-1] > s[1:], True]
    macro = np.where(valid, macro, -1)
    k = int(np.argmax(macro))
    thr = (s[k] + s[k + 1]) / 2 if k + 1 < len(s) else s[k] - 1e-9
    return float(thr), float(macro[k])


def inner_select(
    corpus: Corpus, y: np.ndarray, idx: np.ndarray, folds: int, seed: int
) -> dict[str, Any]:
    """Choose C and the threshold by stratified k-fold CV inside ``idx``."""
    skf = StratifiedKFold(folds, shuffle=True, random_state=seed)
    best: dict[str, Any] | None = None
    for c in C_GRID:
        oof = np.zeros(len(idx))
        for tr, te in skf.split(idx, y[idx]):
            model = fit(corpus, y, idx[tr], c)
            oof[te] = model.decision(corpus, idx[te])
        thr, score = best_threshold(y[idx], oof)
        if best is None or score > best["inner_macro_f1"]:
            best = {"C": c, "threshold": thr, "inner_macro_f1": score, "oof": oof}
    assert best is not None
    return best


def outer_fold(
    corpus: Corpus, y: np.ndarray, tr: np.ndarray, te: np.ndarray, k: int
) -> dict[str, Any]:
    sel = inner_select(corpus, y, tr, INNER_FOLDS, SEED + k)
    model = fit(corpus, y, tr, sel["C"])
    pred = model.decision(corpus, te) >= sel["threshold"]
    return {
        "fold": k,
        "C": sel["C"],
        "threshold": round(sel["threshold"], 4),
        "macro_f1": float(f1_score(y[te], pred, average="macro")),
        "f1_off": float(f1_score(y[te], pred)),
        "precision_off": float(precision_score(y[te], pred, zero_division=0)),
        "recall_off": float(recall_score(y[te], pred)),
        "macro_f1_at_0": float(f1_score(y[te], model.decision(corpus, te) >= 0, average="macro")),
    }


def platt_slope(y: np.ndarray, centred: np.ndarray) -> float:
    """The slope ``a`` of ``sigmoid(a * (z - threshold))`` fitted on out-of-fold decisions."""
    lr = LogisticRegression(C=1e6, fit_intercept=False, max_iter=1000)
    lr.fit(centred.reshape(-1, 1), y)
    return float(lr.coef_[0, 0])


# --- artefact -------------------------------------------------------------------------------


def _g(x: float) -> float:
    return float(f"{x:.9g}")


def export(
    model: Fitted,
    threshold: float,
    slope: float,
    threat_coef: Sequence[float],
    threat_intercept: float,
    profanity: Sequence[str],
    insults: Sequence[str],
    afinn: dict[str, int],
    meta: dict[str, Any],
) -> dict[str, Any]:
    coef = model.clf.coef_[0]
    nw = len(model.word.vocabulary_)
    nc = len(model.char.vocabulary_)
    n = model.n_docs

    def block(vec: TfidfVectorizer, weights: np.ndarray) -> dict[str, Any]:
        names = vec.get_feature_names_out().tolist()
        # idf = ln((1 + n) / (1 + df)) + 1  →  df = (1 + n) / exp(idf - 1) - 1
        df = [round((1 + n) / math.exp(i - 1) - 1) for i in vec.idf_]
        check = np.log((1 + n) / (1 + np.array(df))) + 1
        assert np.allclose(check, vec.idf_, atol=1e-12)
        return {"n_docs": n, "features": names, "df": df, "coef": [_g(w) for w in weights]}

    return {
        "format": tone.FORMAT,
        "meta": meta,
        "word": block(model.word, coef[:nw]),
        "char": block(model.char, coef[nw : nw + nc]),
        "dense": {
            "features": list(DENSE_FEATURES),
            "coef": [_g(w * DENSE_SCALE) for w in coef[nw + nc :]],
        },
        "intercept": _g(float(model.clf.intercept_[0])),
        "threshold": _g(threshold),
        "slope": _g(slope),
        "threat": {
            "features": list(THREAT_FEATURES),
            "coef": [_g(c) for c in threat_coef],
            "intercept": _g(threat_intercept),
        },
        "lexicon": {"profanity": list(profanity), "insults": list(insults), "afinn": afinn},
    }


#: Synthetic sentences (written for this project, not from the corpus) whose scores the
#: training script stores, so that tests can check the runtime scorer without the data.
PROBES = [
    "Jeg er dybt uenig i at skære i SU'en.",
    "Regeringen glemmer at de unge er fremtiden.",
    "Forstår simpelthen ikke hvorfor byrådet vil lukke Tornby Skole.",
    "Det er en skandale at det tager 14 uger at få svar",
    "du er en kæmpe idiot",
    "Den pårørende er en hysterisk kælling",
    "Hjernedøde.",
    "Kommunen er fuld af korrupte svin",
    "Sikke en dejlig dag på legepladsen i dag ☀️",
    "Tak for en god aften til alle jer der kom!",
    "Hvad fanden laver de på rådhuset?!",
    "DET ER FANDME FOR DÅRLIGT!!!",
    "Hold kæft hvor er det her latterligt 🤬",
    "Politikerne burde skamme sig over den beslutning.",
    "Din lille lort, skrid med dig",
    "Jeg håber I allesammen rådner op i helvede 🔥",
    "Vi glæder os til at se jer til sommerfesten",
    "Budgettet er alt for stramt, og det går ud over børnene.",
    "Han er en løgner og et kryb",
    "Hun er så dum at det gør ondt",
    "Fuck det hele, jeg gider ikke mere",
    "Nogle mennesker gider bare ikke tage ansvar 🙄",
    "Tillykke med dagen, Susanne! 🎉",
    "Ledelsen er inkompetent og halvdelen er ligeglade",
    "Send dem hjem, siger jeg bare",
    "Den film slog mig ihjel af grin",
    "Jeg dræber lige den deadline i aften",
    "Jeg slår lige et smut forbi senere",
    "Så får han en på skrinet",
    "Jeg brækker dine fingre én efter én",
    "Næste gang sætter jeg ild til jeres kontor",
    "Jeg ved hvor du bor",
    "Lortekommune!! Ingen svarer nogensinde",
    "I er nogle inkompetente idioter nede på jobcentret",
    "Det var en fantastisk koncert i går 🎶",
    "Husk madpakke og regntøj i morgen",
    "Hvorfor skal det være så svært at få en tid hos lægen",
    "Møgluder, pis af med dig",
    "Sikke nogle klaphatte der sidder i byrådet",
    "Jeg synes forslaget er forkert, men respekterer flertallet",
]


def probe_texts() -> list[str]:
    n = len(PROBES)
    out = list(PROBES)
    for i in range(n):
        for step in (7, 13, 19, 29):
            out.append(f"{PROBES[i]} {PROBES[(i * step + 3) % n]}")
    return out[:200]


def reference_scores(
    model: Fitted, lexicon: ToneLexicon, texts: Sequence[str], threshold: float, slope: float
) -> np.ndarray:
    corpus = make_corpus(texts, lexicon)
    z = model.decision(corpus, range(len(texts)))
    return 1.0 / (1.0 + np.exp(-slope * (z - threshold)))


# --- threat ---------------------------------------------------------------------------------


def threat_rows(
    texts: Sequence[str], offensive: np.ndarray
) -> tuple[np.ndarray, list[tone.ThreatEvidence]]:
    rows = []
    evidence = []
    for text, p in zip(texts, offensive, strict=True):
        doc = Document(text)
        norms = [tone.norm_token(t.lower) for t in doc.tokens]
        ev = threat_evidence(doc.lower, norms)
        evidence.append(ev)
        rows.append(threat_features(ev, float(p)))
    return np.array(rows, dtype=np.float64), evidence


def train_threat(
    texts: Sequence[str], y: np.ndarray, offensive: np.ndarray
) -> tuple[list[float], float, dict[str, Any]]:
    x, evidence = threat_rows(texts, offensive)
    # No class re-weighting: the output is meant as P(threat | cues), which gates weak cues.
    # C is chosen by out-of-fold log-loss (stratified 5-fold; 11 positives → 2-3 per fold).
    skf = StratifiedKFold(5, shuffle=True, random_state=SEED)
    best: tuple[float, float, np.ndarray] | None = None
    for c in THREAT_C_GRID:
        lr = LogisticRegression(C=c, max_iter=5000)
        oof = np.zeros(len(y))
        for tr, te in skf.split(x, y):
            lr.fit(x[tr], y[tr])
            oof[te] = lr.predict_proba(x[te])[:, 1]
        loss = float(log_loss(y, oof))
        if best is None or loss < best[1]:
            best = (c, loss, oof)
    assert best is not None
    c, loss, oof = best
    lr = LogisticRegression(C=c, max_iter=5000)
    lr.fit(x, y)
    cue = (x[:, 0] > 0) | (x[:, 1] > 0)
    strong = x[:, 1] > 0
    support = np.array([e.corroborated(float(p)) for e, p in zip(evidence, offensive, strict=True)])
    weak_p = np.where(support, oof, np.minimum(oof, tone.WEAK_CAP))
    fired = cue & (np.where(strong, np.maximum(oof, 0.9), weak_p) >= 0.5)
    report = {
        "positives": int(y.sum()),
        "items": len(y),
        "cue_on_tth": int((cue & (y == 1)).sum()),
        "cue_on_other": int((cue & (y == 0)).sum()),
        "strong_on_tth": int((strong & (y == 1)).sum()),
        "strong_on_other": int((strong & (y == 0)).sum()),
        "fired_cv_tth": int((fired & (y == 1)).sum()),
        "fired_cv_other": int((fired & (y == 0)).sum()),
        "C": c,
        "oof_log_loss": round(loss, 5),
        "coef": dict(zip(THREAT_FEATURES, [round(float(c), 4) for c in lr.coef_[0]], strict=True)),
        "intercept": round(float(lr.intercept_[0]), 4),
    }
    return [float(c) for c in lr.coef_[0]], float(lr.intercept_[0]), report


# --- dev sanity check -----------------------------------------------------------------------


def dev_sanity(detector: ToneDetector) -> dict[str, Any] | None:
    if not DEV.exists():
        return None
    flagged = {"offensive", "threat", "harassment"}
    pos = pos_hit = neg = neg_hit = thr = thr_hit = 0
    for line in DEV.read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        dets = detector.detect(Document(item["text"]))
        cats = set(item["categories"])
        if cats & flagged:
            pos += 1
            pos_hit += bool(dets)
        else:
            neg += 1
            neg_hit += bool(dets)
        if "threat" in cats:
            thr += 1
            thr_hit += any(d.label == "THREAT" for d in dets)
    return {
        "labelled_items": pos,
        "labelled_detected": pos_hit,
        "threat_items": thr,
        "threat_detected": thr_hit,
        "other_items": neg,
        "other_false_alarms": neg_hit,
    }


# --- main -----------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--jobs", type=int, default=2, help="parallel outer folds")
    parser.add_argument("--skip-cv", action="store_true", help="only fit and export (no nested CV)")
    args = parser.parse_args(argv)
    t0 = time.time()

    hashes = {
        str(p.relative_to(SHARED)): sha256(p)
        for p in (OFFENSIVE, SUBTASKS, LDNOOBW, LDNOOBW_PR, LDNOOBW_V2, AFINN)
    }
    print("data sha256:")
    for name, h in hashes.items():
        print(f"  {h}  {name}")

    profanity, insults, prof_counts = build_profanity()
    afinn = build_afinn()
    lexicon = ToneLexicon(profanity, afinn, insults)
    print(
        f"lexicons: profanity {len(profanity)} entries {prof_counts} ({len(insults)} insults), "
        f"AFINN {len(afinn)}"
    )

    texts, y = read_offenseval()
    print(f"training split: {len(texts)} items, OFF {int(y.sum())}, NOT {int((1 - y).sum())}")
    corpus = make_corpus(texts, lexicon)

    folds: list[dict[str, Any]] = []
    if not args.skip_cv:
        skf = StratifiedKFold(OUTER_FOLDS, shuffle=True, random_state=SEED)
        folds = Parallel(n_jobs=args.jobs)(
            delayed(outer_fold)(corpus, y, tr, te, k)
            for k, (tr, te) in enumerate(skf.split(texts, y))
        )
        print("nested CV (outer 10-fold; C and threshold chosen by inner 5-fold):")
        for f in folds:
            print(
                f"  fold {f['fold']}: macro-F1 {f['macro_f1']:.4f}  F1(OFF) {f['f1_off']:.4f}  "
                f"P {f['precision_off']:.3f} R {f['recall_off']:.3f}  C={f['C']:g} "
                f"thr={f['threshold']:+.3f}"
            )
        m = np.array([f["macro_f1"] for f in folds])
        print(f"  macro-F1 {m.mean():.4f} ± {m.std(ddof=1):.4f} (mean ± sd over folds)")

    # final model: the inner procedure on all training data
    sel = inner_select(corpus, y, np.arange(len(texts)), OUTER_FOLDS, SEED)
    threshold = float(sel["threshold"])
    slope = platt_slope(y, sel["oof"] - threshold)
    model = fit(corpus, y, range(len(texts)), sel["C"])
    print(
        f"final: C={sel['C']:g}, threshold (decision value) {threshold:+.4f}, slope {slope:.4f}, "
        f"10-fold OOF macro-F1 at that threshold {sel['inner_macro_f1']:.4f}; "
        f"features word {len(model.word.vocabulary_)}, char {len(model.char.vocabulary_)}"
    )

    # threat signal: TTH vs rest on the sub-task file, offensive probability out of fold
    st_texts, st_y = read_subtasks()
    oof_by_text = {
        t: 1.0 / (1.0 + math.exp(-slope * (z - threshold)))
        for t, z in zip(texts, sel["oof"], strict=True)
    }
    extra = [t for t in st_texts if t not in oof_by_text]
    if extra:
        extra_p = reference_scores(model, lexicon, extra, threshold, slope)
        oof_by_text.update(zip(extra, (float(p) for p in extra_p), strict=True))
    st_off = np.array([oof_by_text[t] for t in st_texts])
    threat_coef, threat_intercept, threat_report = train_threat(st_texts, st_y, st_off)
    print(f"threat (TTH vs rest, {threat_report['positives']} positives): {threat_report}")

    meta = {
        "trained": dt.date.today().isoformat(),
        "data_sha256": hashes,
        "C": sel["C"],
        "source": "DKhate / OffensEval 2020 Danish training split (CC BY 4.0)",
    }
    data = export(
        model, threshold, slope, threat_coef, threat_intercept, profanity, insults, afinn, meta
    )
    payload = json.dumps(data, ensure_ascii=False, separators=(",", ":"), sort_keys=False)
    artefact = OUT / "tone.model.json.gz"
    artefact.write_bytes(gzip.compress(payload.encode("utf-8"), compresslevel=9, mtime=0))
    size = artefact.stat().st_size
    print(f"artefact: {artefact.relative_to(REPO)} {size / 1e6:.2f} MB")

    # the runtime scorer must reproduce scikit-learn's scores
    runtime = ToneModel(json.loads(gzip.decompress(artefact.read_bytes())))
    rng = np.random.default_rng(SEED)
    sample = sorted(rng.choice(len(texts), 200, replace=False).tolist())
    ref = reference_scores(model, lexicon, [texts[i] for i in sample], threshold, slope)
    got = np.array([runtime.score(texts[i]).probability for i in sample])
    diff = float(np.max(np.abs(ref - got)))
    print(f"runtime vs scikit-learn on 200 training items: max |Δp| = {diff:.2e}")
    if diff > 1e-6:
        raise SystemExit("runtime scorer does not reproduce the trained model")
    probes = probe_texts()
    probe_p = reference_scores(model, lexicon, probes, threshold, slope)
    probe_diff = max(
        abs(runtime.score(t).probability - p) for t, p in zip(probes, probe_p, strict=True)
    )
    print(f"runtime vs scikit-learn on {len(probes)} probe sentences: max |Δp| = {probe_diff:.2e}")

    tone._model = runtime  # let the detector use the fresh model
    detector = ToneDetector()
    dev = dev_sanity(detector)
    if dev is not None:
        print(f"dev.jsonl sanity check (not trained on): {dev}")

    scores: dict[str, Any] = {
        "task": "OffensEval 2020 Danish sub-task A (OFF vs NOT), training split",
        "date": dt.date.today().isoformat(),
        "command": ".venv/bin/python scripts/train_tone.py",
        "data_sha256": hashes,
        "evaluation": (
            f"stratified {OUTER_FOLDS}-fold CV (seed {SEED}); C and threshold chosen by an inner "
            f"stratified {INNER_FOLDS}-fold CV on each outer training part; pruning inside each fit"
        ),
        "features": {
            "word": "binary TF-IDF of lower-cased word uni+bigrams and emoji, L2 block norm",
            "char": f"binary TF-IDF of char_wb 2-5-grams (min_df {CHAR_MIN_DF}), L2 block norm",
            "lexicon": list(DENSE_FEATURES),
            "lexicon_scale": DENSE_SCALE,
            "top_k": {"word": K_WORD, "char": K_CHAR},
            "model": "LogisticRegression(liblinear, L2, class_weight=balanced)",
            "C_grid": list(C_GRID),
        },
        "final": {
            "C": sel["C"],
            "threshold": threshold,
            "slope": slope,
            "oof_macro_f1": sel["inner_macro_f1"],
            "word_features": len(model.word.vocabulary_),
            "char_features": len(model.char.vocabulary_),
            "artefact_bytes": size,
        },
        "threat": threat_report,
        "dev_sanity": dev,
        "runtime_max_abs_diff": max(diff, probe_diff),
        "reference": [{"text": t, "p": float(p)} for t, p in zip(probes, probe_p, strict=True)],
    }
    if folds:
        m = np.array([f["macro_f1"] for f in folds])
        scores["cv_macro_f1_mean"] = float(m.mean())
        scores["cv_macro_f1_std"] = float(m.std(ddof=1))
        scores["folds"] = folds
    else:
        old = OUT / "tone.scores.json"
        if old.exists():
            prev = json.loads(old.read_text(encoding="utf-8"))
            for key in ("cv_macro_f1_mean", "cv_macro_f1_std", "folds"):
                if key in prev:
                    scores[key] = prev[key]
    (OUT / "tone.scores.json").write_text(
        json.dumps(scores, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    write_licence(prof_counts)
    print(f"done in {time.time() - t0:.0f} s")
    return 0


def write_licence(counts: dict[str, int]) -> None:
    text = f"""Tone model: tone.model.json.gz, tone.scores.json
=================================================

Built by scripts/train_tone.py (see docs/TONE.md). The artefact contains weights learned from,
and word lists derived from, the sources below.

1. DKhate / OffensEval 2020 Danish (training split and sub-task labels).
   Gudbjartur Ingi Sigurbergsson and Leon Derczynski: "Offensive Language and Hate Speech
   Detection for Danish", Proceedings of the 12th Language Resources and Evaluation
   Conference (LREC 2020), ELRA. Licence: Creative Commons Attribution 4.0 (CC BY 4.0),
   https://creativecommons.org/licenses/by/4.0/. The artefact holds model weights and
   n-gram features (words, word pairs, character 2-5-grams) learned from the corpus, not the
   comments themselves. Changes: features extracted and a classifier trained.

2. List of Dirty, Naughty, Obscene, and Otherwise Bad Words (LDNOOBW), Danish list "da.txt"
   and the unmerged pull request 3c8b728 ({counts.get("ldnoobw+pr", 0)} entries together).
   https://github.com/LDNOOBW/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words
   Licence: CC BY 4.0. Changes: lower-cased and merged into the profanity list.

3. LDNOOBW V2, Danish list data/da.txt ({counts.get("ldnoobw_v2_kept", 0)} entries kept).
   https://github.com/LDNOOBWV2/List-of-Dirty-Naughty-Obscene-and-Otherwise-Bad-Words_V2
   Licence: CC0 1.0 (public domain dedication). Changes: mojibake lines dropped, four lines
   with 'æ' written as an apostrophe repaired, innocent, descriptive and mild words dropped
   (the list is in scripts/train_tone.py, V2_DROP).

4. AFINN-da (AFINN-da-32.txt), Finn Årup Nielsen, https://github.com/fnielsen/afinn.
   Licence: Apache License 2.0, https://www.apache.org/licenses/LICENSE-2.0.
   Copied unchanged (word → valence) into the artefact.
   Citation: F. Å. Nielsen, "A new ANEW: evaluation of a word list for sentiment analysis in
   microblogs", ESWC2011 Workshop on Making Sense of Microposts, 2011.

5. {counts.get("curated", 0)} insults and expletives curated by the Omtanke project (MPL-2.0),
   and the threat patterns in src/omtanke/detectors/tone.py (MPL-2.0).

The full licence texts: CC BY 4.0 https://creativecommons.org/licenses/by/4.0/legalcode,
CC0 1.0 https://creativecommons.org/publicdomain/zero/1.0/legalcode, Apache-2.0
https://www.apache.org/licenses/LICENSE-2.0.txt.
"""
    (OUT / "tone.LICENSE.txt").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    raise SystemExit(main())
