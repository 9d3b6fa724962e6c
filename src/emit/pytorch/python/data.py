# ---- Data: read or generate, split, fill, normalise (docs/semantics.md, "Data").


class MlspecError(Exception):
    """A problem with the spec, the data or the files: one sentence, exit code 1."""

    def __init__(self, message, code=1):
        super().__init__(message)
        self.exit_code = code


_NUMBER = re.compile(r"^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$")


def _cell_number(text, where):
    if not _NUMBER.match(text):
        raise MlspecError(f"{where}: `{text[:40]}` is not a plain decimal number.")
    value = float(text)
    if not math.isfinite(value):
        raise MlspecError(f"{where}: `{text[:40]}` is too large for a double.")
    return value


_TYPE_SELECTORS = ("numeric", "category", "binary")


def resolve_selectors(source, header):
    """`numeric`, `category`, `binary` in `from`/`features` stand for the columns of that type (csv-selectors.ts)."""
    selector = lambda name: name in _TYPE_SELECTORS and name not in header
    inputs = source.get("inputs") or []
    lists = [i["from"] for i in inputs] + [source.get("features") or []]
    if not any(selector(name) for l in lists for name in l):
        return source
    named = {name for l in lists for name in l if not selector(name)}
    taken = set()
    kind = lambda c: "category" if c in (source.get("category") or []) else "binary" if c in (source.get("binary") or []) else "numeric"

    def expand(names):
        out = []
        for name in names:
            if not selector(name):
                out.append(name)
                continue
            columns = [c for c in header if c != source.get("label") and c not in named and c not in taken and kind(c) == name]
            taken.update(columns)
            out.extend(columns)
        return out

    resolved_inputs = [dict(i, **{"from": expand(i["from"])}) for i in inputs]
    if any(i["from"] for i in inputs):
        features = [name for i in resolved_inputs for name in i["from"]]
    else:
        features = None if source.get("features") is None else expand(source["features"])
    return dict(source, inputs=resolved_inputs, features=features) if inputs else dict(source, features=features)


def read_csv_table(source, base_dir, classes=None):
    """The csv source: features (list of rows of floats, NaN for `missing: mean`), labels, names, hash."""
    path = source["path"] if os.path.isabs(source["path"]) else os.path.join(base_dir, source["path"])
    try:
        with open(path, "rb") as f:
            raw = f.read()
    except OSError as error:
        raise MlspecError(f"Cannot read the data file {path} ({error.strerror}).")
    # A path ending in .gz is gzip-compressed; the hash is of the decompressed text (src/runtime/data/csv-dialect.ts).
    if path.lower().endswith(".gz"):
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError) as error:
            raise MlspecError(f"The data file {path} ends in .gz but is not valid gzip ({error}).")
    text = raw.decode("utf-8-sig")
    delimiter, quote, comment = source.get("delimiter") or ",", source.get("quote") or '"', source.get("comment")
    if comment:
        # Comment lines are blanked (not removed), as the runtime does.
        text = "\n".join(("\r" if line.endswith("\r") else "") if line.startswith(comment) else line for line in text.split("\n"))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote)
    rows = [row for row in reader if len(row) > 0 and not (len(row) == 1 and row[0].strip() == "")]
    if source.get("header", True) is False:
        header = list(source["columns"])
        body = rows
    else:
        if not rows:
            raise MlspecError(f"The data file {path} is empty.")
        header = [name.strip() for name in rows[0]]
        body = rows[1:]
    if not body:
        raise MlspecError(f"The data file {path} has a header but no data rows.")
    source = resolve_selectors(source, header)
    label = source.get("label")
    if label is not None and label not in header:
        raise MlspecError(f"The label column `{label}` is not in the header of {path} (columns: {', '.join(header)}).")
    label_index = header.index(label) if label is not None else -1
    if source.get("features"):
        for name in source["features"]:
            if name not in header:
                raise MlspecError(f"The feature column `{name}` is not in the header of {path}.")
        feature_indices = [header.index(name) for name in source["features"]]
    else:
        feature_indices = [i for i in range(len(header)) if i != label_index]
    missing = source.get("missing", "error")
    categorical = bool(source.get("categorical"))
    # Category and binary columns are read as text and encoded after the split (column-types.ts).
    text_columns = set(source.get("category") or []) | set(source.get("binary") or [])
    text_slots = [slot for slot, column in enumerate(feature_indices) if header[column] in text_columns]
    # input(missing: ...): the rule of that input's columns instead of the source's.
    own_missing = {name: i["missing"] for i in source.get("inputs") or [] if i.get("missing") for name in i["from"]}
    feature_texts = [[] if slot in text_slots else None for slot in range(len(feature_indices))]
    features, label_texts, label_values = [], [], []
    has_missing = False
    for line_number, row in enumerate(body, start=1 if source.get("header", True) is False else 2):
        if len(row) != len(header):
            raise MlspecError(f"{path} line {line_number}: {len(row)} cells, but the header has {len(header)}.")
        values = []
        texts = {}
        drop = False
        for slot, column in enumerate(feature_indices):
            cell = row[column].strip()
            rule = own_missing.get(header[column], missing)
            if slot in text_slots:
                values.append(0.0)
                texts[slot] = cell
                if cell == "" and rule == "error":
                    raise MlspecError(f"{path} line {line_number}, column {column + 1}: the cell is empty; fill it in or set `missing:`.")
                drop = drop or (cell == "" and rule == "drop")
                continue
            if cell == "":
                if rule == "error":
                    raise MlspecError(f"{path} line {line_number}, column {column + 1}: the cell is empty; fill it in or set `missing:`.")
                if rule == "drop":
                    drop = True
                    values.append(0.0)
                    continue
                values.append(0.0 if rule == "zero" else float("nan"))
                has_missing = has_missing or rule == "mean"
            else:
                values.append(_cell_number(cell, f"{path} line {line_number}, column {column + 1}"))
        label_cell = row[label_index].strip() if label_index >= 0 else None
        if label_cell is not None and label_cell == "":
            if missing != "drop":
                raise MlspecError(f"{path} line {line_number}, column {label_index + 1}: the label is empty.")
            drop = True
        if drop:
            continue
        features.append(values)
        for slot in text_slots:
            feature_texts[slot].append(texts[slot])
        if label_cell is not None:
            if categorical:
                label_texts.append(label_cell)
            else:
                label_values.append([_cell_number(label_cell, f"{path} line {line_number}, column {label_index + 1}")])
    if not features:
        raise MlspecError(f"Every data row of {path} has an empty cell, so `missing: drop` leaves no rows.")
    if label_index < 0:
        labels = None
    elif categorical:
        names = classes if classes is not None else sorted(set(label_texts))
        index = {name: i for i, name in enumerate(names)}
        for name in label_texts:
            if name not in index:
                raise MlspecError(f"The class `{name}` of {path} is not one of the model's classes ({', '.join(names)}).")
        labels = {"kind": "classes", "indices": [index[name] for name in label_texts], "count": len(names), "names": list(names)}
    else:
        labels = {"kind": "values", "values": label_values}
    return {
        "features": features,
        "featureNames": [header[i] for i in feature_indices],
        "hasMissing": has_missing,
        "sampleShape": [len(feature_indices)],
        "dtype": "float32",
        "labels": labels,
        "hash": hashlib.sha256(raw).hexdigest(),
        "_header": header,
        "featureTexts": feature_texts if text_slots else None,
        "_source": source,
    }


def read_split_files(source, base_dir):
    """csv(train: ..., validation: ..., test: ...): the train rows, then validation, then test (csv-split-files.ts)."""
    tables, header = [], None
    for part in ("train", "validation", "test"):
        if not source.get(part):
            continue
        full = read_csv_table(dict(source, path=source[part]), base_dir)
        names = full["_header"]
        if header is None:
            header = names
        elif names != header:
            raise MlspecError(f"The {part} file {source[part]} does not have the train file's columns ({', '.join(header)}).")
        tables.append((part, full))
    counts = {part: 0 for part in ("train", "validation", "test")}
    for part, table in tables:
        counts[part] = len(table["features"])
    first = tables[0][1]
    if source.get("categorical"):
        names = sorted({name for _, t in tables for name in t["labels"]["names"]}, key=lambda n: [ord(c) for c in n])
        index = {name: i for i, name in enumerate(names)}
        indices = [index[t["labels"]["names"][i]] for _, t in tables for i in t["labels"]["indices"]]
        labels = {"kind": "classes", "indices": indices, "count": len(names), "names": names}
    else:
        labels = {"kind": "values", "values": [v for _, t in tables for v in t["labels"]["values"]]}
    hashes = {part: None for part in ("train", "validation", "test")}
    for part, table in tables:
        hashes[part] = table["hash"]
    return {
        "features": [row for _, t in tables for row in t["features"]],
        "featureNames": first["featureNames"],
        "hasMissing": any(t["hasMissing"] for _, t in tables),
        "sampleShape": first["sampleShape"],
        "dtype": "float32",
        "labels": labels,
        "hash": hashlib.sha256(json.dumps(hashes, separators=(",", ":")).encode()).hexdigest(),
        "parts": counts,
        "_source": first["_source"],
        "featureTexts": [None if texts is None else [text for _, t in tables for text in t["featureTexts"][slot]] for slot, texts in enumerate(first["featureTexts"])] if first.get("featureTexts") else None,
    }


def _generator_hash(config, seed):
    return hashlib.sha256(json.dumps({"config": config, "seed": seed}, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def generate_table(source, seed):
    """random, sine and sequence sources, drawing exactly the numbers mlspec draws."""
    kind = source["kind"]
    if kind == "random":
        rng = Rng(derive_seed(seed, "data", "random"))
        n, d, targets, classes = source["samples"], source["features"], source.get("targets", 1), source.get("classes", 0)
        x = [[rng.next() for _ in range(d)] for _ in range(n)]
        if classes > 0:
            labels = {"kind": "classes", "indices": [rng.int(classes) for _ in range(n)], "count": classes, "names": None}
        else:
            labels = {"kind": "values", "values": [[rng.next() for _ in range(targets)] for _ in range(n)]}
        names, shape, dtype = [f"x{j + 1}" for j in range(d)], [d], "float32"
    elif kind == "sine":
        rng = Rng(derive_seed(seed, "data", "sine"))
        n, window, noise, period = source["samples"], source["window"], source["noise"], source["period"]
        series = [math.sin((2 * math.pi * t) / period) + noise * rng.normal() for t in range(n + window)]
        x = [series[i : i + window] for i in range(n)]
        labels = {"kind": "values", "values": [[series[i + window]] for i in range(n)]}
        names, shape, dtype = [f"s{j + 1}" for j in range(window)], [window, 1], "float32"
    elif kind == "sequence":
        rng = Rng(derive_seed(seed, "data", "sequence"))
        n, length, vocab, task = source["samples"], source["length"], source["vocab"], source["task"]
        x = [[rng.int(vocab) for _ in range(length)] for _ in range(n)]
        target = {"reverse": lambda t: t[::-1], "sort": sorted, "copy": list}[task]
        labels = {"kind": "tokens", "indices": [target(row) for row in x], "count": vocab}
        names, shape, dtype = [f"token{j + 1}" for j in range(length)], [length], "int32"
    else:
        raise MlspecError(f"Unknown data source `{kind}`.")
    return {"features": x, "featureNames": names, "hasMissing": False, "sampleShape": shape, "dtype": dtype, "labels": labels, "hash": _generator_hash(source, seed)}


def _floor_share(n, ratio):
    return min(n, math.floor(n * ratio + 1e-9))


def split_counts(n, split):
    validation = _floor_share(n, split["validation"])
    test = min(n - validation, _floor_share(n, split["test"]))
    return n - validation - test, validation, test


def split_rows(n, split, shuffle, seed, strata):
    """Row indices of train, validation and test (src/runtime/data/split.ts)."""
    order = permutation(n, Rng(derive_seed(seed, "split"))) if shuffle else list(range(n))

    def cut(rows):
        train, validation, _ = split_counts(len(rows), split)
        return rows[:train], rows[train : train + validation], rows[train + validation :]

    if not split.get("stratify") or strata is None:
        return cut(order)
    groups = {}
    for row in order:
        groups.setdefault(strata[row], []).append(row)
    rank = {row: position for position, row in enumerate(order)}
    parts = ([], [], [])
    for rows in groups.values():
        for target, piece in zip(parts, cut(rows)):
            target.extend(piece)
    return tuple(sorted(part, key=lambda row: rank[row]) for part in parts)


def fit_normalization(kind, rows, columns):
    shift, scale = [0.0] * columns, [1.0] * columns
    if kind == "none" or not rows:
        return {"kind": kind, "shift": shift, "scale": scale}
    for j in range(columns):
        column = [row[j] for row in rows]
        low, high, total = min(column), max(column), 0.0
        for value in column:
            total += value
        if low == high:
            shift[j] = low
            continue
        if kind == "minmax":
            shift[j], scale[j] = low, high - low
            continue
        mean = total / len(column)
        squares = 0.0
        for value in column:
            squares += (value - mean) ** 2
        shift[j] = mean
        scale[j] = math.sqrt(squares / len(column)) or 1.0
    return {"kind": kind, "shift": shift, "scale": scale}


def _column_width(column):
    return len(column["vocabulary"]) + 1 if column["oneHot"] else 1


def fit_column_encodings(table, source, train_rows):
    """Typed columns (column-types.ts): vocabularies from the training rows, in code point order."""
    inputs, category, binary = source["inputs"], source.get("category") or [], source.get("binary") or []
    encodings = []
    for slot, name in enumerate(table["featureNames"]):
        owner = next((i for i in inputs if name in i["from"]), inputs[0])
        kind = "category" if name in category else "binary" if name in binary else "tokens" if owner["dtype"] == "int32" else "numeric"
        if kind not in ("category", "binary"):
            encodings.append({"name": name, "kind": kind, "input": owner["name"], "vocabulary": None, "oneHot": False})
            continue
        texts = table["featureTexts"][slot]
        values = sorted({texts[r] for r in train_rows if texts[r] != ""})
        if kind == "binary" and len(values) > 2:
            raise MlspecError(f"Column `{name}` is listed in `binary` but its training rows hold {len(values)} values; list it in `category` instead.")
        encodings.append({"name": name, "kind": kind, "input": owner["name"], "vocabulary": values, "oneHot": kind == "category" and owner["dtype"] == "float32"})
    for owner in inputs:
        width = sum(_column_width(c) for c in encodings if c["input"] == owner["name"])
        if width != owner["width"]:
            raise MlspecError(f"Input `{owner['name']}` takes {owner['width']} values per sample, but its columns give {width}; write input(shape: [{width}]).")
    return encodings


def apply_column_encodings(table, encodings, empty_binary):
    lookups = [None if c["vocabulary"] is None else {v: i for i, v in enumerate(c["vocabulary"])} for c in encodings]
    has_missing = table["hasMissing"]
    features = []
    for r, row in enumerate(table["features"]):
        out = []
        for slot, column in enumerate(encodings):
            lookup = lookups[slot]
            if lookup is None:
                out.append(row[slot])
                continue
            text = table["featureTexts"][slot][r]
            if column["kind"] == "binary":
                if text == "":
                    empty = empty_binary(column["name"])
                    out.append(empty)
                    has_missing = has_missing or math.isnan(empty)
                elif text not in lookup:
                    raise MlspecError(f"`{text[:40]}` is not one of the two values of the binary column `{column['name']}`.")
                else:
                    out.append(float(lookup[text]))
                continue
            index = lookup[text] + 1 if text in lookup else 0
            if column["oneHot"]:
                hot = [0.0] * (len(column["vocabulary"]) + 1)
                hot[index] = 1.0
                out.extend(hot)
            else:
                out.append(float(index))
        features.append(out)
    width = sum(_column_width(c) for c in encodings)
    names = []
    for c in encodings:
        names.extend([f"{c['name']}=<unseen>"] + [f"{c['name']}={v}" for v in c["vocabulary"]] if c["oneHot"] else [c["name"]])
    return dict(table, features=features, featureNames=names, hasMissing=has_missing, sampleShape=[width], featureTexts=None)


def fit_typed_normalization(base, rows, encodings, inputs):
    """A numeric column scaled as its input's `normalize` says (else the data section's); other columns shift 0, scale 1 (column-types.ts)."""
    own = {i["name"]: i.get("normalize") for i in inputs}
    kinds = []
    for column in encodings:
        kind = "none" if column["kind"] != "numeric" else (own.get(column["input"]) or base)
        kinds.extend([kind] * _column_width(column))
    fitted = {kind: fit_normalization(kind, rows, len(kinds)) for kind in ("zscore", "minmax") if kind in kinds}
    shift = [0 if kind == "none" else fitted[kind]["shift"][j] for j, kind in enumerate(kinds)]
    scale = [1 if kind == "none" else fitted[kind]["scale"][j] for j, kind in enumerate(kinds)]
    kind = base if base != "none" else next((k for k in kinds if k != "none"), "none")
    return {"kind": kind, "shift": shift, "scale": scale}


def _label_tensor(labels, rows, data):
    if labels["kind"] == "values":
        return torch.tensor(np.asarray([labels["values"][r] for r in rows], dtype=np.float32).reshape(len(rows), -1))
    indices = [labels["indices"][r] for r in rows]
    if labels["kind"] == "classes":
        if data.get("one_hot"):
            return F.one_hot(torch.tensor(indices, dtype=torch.long).reshape(-1), labels["count"]).float()
        if data.get("binary_labels"):
            return torch.tensor(np.asarray(indices, dtype=np.float32).reshape(len(rows), 1))
        return torch.tensor(np.asarray(indices, dtype=np.int64).reshape(len(rows)))
    tokens = torch.tensor(np.asarray(indices, dtype=np.int64).reshape(len(rows), -1))
    return F.one_hot(tokens, labels["count"]).float() if data.get("one_hot") else tokens


def prepare_data(data, base_dir, seed):
    """load -> split -> fill (training means) -> normalise (training statistics) -> reshape -> tensors."""
    seed = data["seed"] if data.get("seed") is not None else seed
    source = data["source"]
    if source["kind"] == "csv":
        table = read_csv_table(source, base_dir) if source.get("path") else read_split_files(source, base_dir)
    elif source["kind"] == "images":
        table = read_image_folder(source, base_dir)
    else:
        table = generate_table(source, seed)
    n = len(table["features"])
    strata = table["labels"]["indices"] if table["labels"] is not None and table["labels"]["kind"] == "classes" else None
    if table.get("parts"):
        # Split files: the split is the files, in file order.
        t, v, e = table["parts"]["train"], table["parts"]["validation"], table["parts"]["test"]
        train_rows, val_rows, test_rows = list(range(t)), list(range(t, t + v)), list(range(t + v, t + v + e))
    else:
        train_rows, val_rows, test_rows = split_rows(n, data["split"], data["shuffle"], seed, strata)
    if not train_rows:
        raise MlspecError(f"The split leaves no training rows out of the {n} rows; lower `validation` or `test` in `split`.")
    encodings = None
    # The source with its type selectors resolved against the file's header.
    source = table.get("_source", source)
    if source.get("inputs"):
        encodings = fit_column_encodings(table, source, train_rows)
        own = {name: i["missing"] for i in source["inputs"] if i.get("missing") for name in i["from"]}
        table = apply_column_encodings(table, encodings, lambda name: float("nan") if own.get(name, source.get("missing")) == "mean" else 0.0)
    features = table["features"]
    columns = len(table["featureNames"])
    fill = None
    if table["hasMissing"]:
        fill = []
        for j in range(columns):
            present = [features[r][j] for r in train_rows if not math.isnan(features[r][j])]
            total = 0.0
            for value in present:
                total += value
            if not present and any(math.isnan(row[j]) for row in features):
                raise MlspecError(f"Column `{table['featureNames'][j]}` has no values in the training split, so `missing: mean` cannot fill it.")
            fill.append(total / len(present) if present else 0.0)
        features = [[fill[j] if math.isnan(v) else v for j, v in enumerate(row)] for row in features]
    if encodings is not None:
        normalization = fit_typed_normalization(data["normalize"], [features[r] for r in train_rows], encodings, source["inputs"])
    else:
        normalization = fit_normalization(data["normalize"], [features[r] for r in train_rows], columns)
    if normalization["kind"] != "none":
        shift, scale = normalization["shift"], normalization["scale"]
        features = [[(v - shift[j]) / scale[j] for j, v in enumerate(row)] for row in features]
    shape = data["reshape"] if data.get("reshape") else table["sampleShape"]
    np_dtype = np.int64 if table["dtype"] == "int32" else np.float32

    def tensors(rows):
        if not rows:
            return None
        x = torch.from_numpy(np.asarray([features[r] for r in rows], dtype=np.float64).astype(np_dtype).reshape([len(rows)] + list(shape)))
        return x, _label_tensor(table["labels"], rows, data)

    labels = table["labels"]
    return {
        "train": tensors(train_rows),
        "validation": tensors(val_rows),
        "test": tensors(test_rows),
        "labels": labels["names"] if labels is not None and labels["kind"] == "classes" and labels.get("names") else None,
        "featureNames": [column["name"] for column in encodings] if encodings is not None else table["featureNames"],
        "normalization": normalization,
        "missingFill": fill,
        "hash": table["hash"],
        "split": {"rows": n, "seed": seed, "train": train_rows, "validation": val_rows, "test": test_rows},
        "columns": encodings,
    }
