# ---- Streamed CSV data (docs/semantics.md, "Streamed data"; src/runtime/data/csv-stream-dataset.ts).

STREAM_TRAIN_SAMPLE_ROWS = 10000
STREAM_DEFAULT_SHUFFLE_BUFFER = 10000
CSV_MAX_BYTES = 2 ** 29 - 24


def csv_too_large_to_read(path):
    """The text is over CSV_MAX_BYTES (for .gz: by the size gzip records in its last four bytes)."""
    if not os.path.isfile(path):
        return False
    size = os.path.getsize(path)
    if size > CSV_MAX_BYTES:
        return True
    if not path.lower().endswith(".gz") or size < 18:
        return False
    with open(path, "rb") as f:
        f.seek(size - 4)
        return struct.unpack("<I", f.read(4))[0] > CSV_MAX_BYTES


def csv_streams(source, base_dir):
    if source.get("stream") is True:
        return True
    if source.get("stream") is False or not source.get("path"):
        return False
    path = source["path"] if os.path.isabs(source["path"]) else os.path.join(base_dir, source["path"])
    return csv_too_large_to_read(path)


def _row_split_hash(split_seed, line):
    return _fmix32((split_seed ^ ((line * 0x9E3779B1) & _U32)) & _U32)


def stream_row_part(split_seed, line, split):
    """0 train, 1 validation, 2 test (stream-split.ts)."""
    u = _row_split_hash(split_seed, line) / 4294967296
    if u < split["validation"]:
        return 1
    if u < split["validation"] + split["test"]:
        return 2
    return 0


def _stream_records(path, source, hasher=None):
    """(line, cells) of every record, as csv-stream-records.ts splits them; `hasher` sees every decompressed byte."""
    delimiter, quote, comment = source.get("delimiter") or ",", source.get("quote") or '"', source.get("comment")

    def parse(text):
        return next(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, quotechar=quote))

    pending = None
    opener = gzip.open if path.lower().endswith(".gz") else open
    try:
        f = opener(path, "rb")
    except OSError as error:
        raise MlspecError(f"Cannot read the data file {path} ({error.strerror}).")
    with f:
        # Lines end at line feeds only (a CR before one is part of the line, dropped below).
        for number, raw in enumerate(f, start=1):
            if hasher is not None:
                hasher.update(raw)
            if number == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            text = raw.decode("utf-8")
            if text.endswith("\n"):
                text = text[:-1]
            if pending is not None:
                pending[0] += "\n" + text
                pending[2] += text.count(quote)
                if pending[2] % 2 == 0:
                    yield pending[1], parse(pending[0])
                    pending = None
                continue
            body = text[:-1] if text.endswith("\r") else text
            if body == "" or (comment and body.startswith(comment)):
                continue
            quotes = body.count(quote)
            if quotes == 0:
                yield number, body.split(delimiter)
            elif quotes % 2 == 0:
                yield number, parse(body)
            else:
                pending = [text, number, quotes]
    if pending is not None:
        raise MlspecError(f"{path} line {pending[1]}: a quoted field is never closed.")


def _stream_rows(path, source, hasher=None):
    """First (None, feature names, None), then (line, features with NaN for `missing: mean`, label cell) of every kept row, checked as read_csv_table checks."""
    label = source["label"]
    missing = source.get("missing", "error")
    header = None
    label_index, feature_indices = -1, []

    def columns(names):
        if label not in names:
            raise MlspecError(f"The label column `{label}` is not in the header of {path} (columns: {', '.join(names)}).")
        features = source.get("features") or [name for name in names if name != label]
        for name in features:
            if name not in names:
                raise MlspecError(f"The feature column `{name}` is not in the header of {path}.")
        return names.index(label), [names.index(name) for name in features]

    if source.get("header", True) is False:
        header = list(source["columns"])
        label_index, feature_indices = columns(header)
        yield None, [header[i] for i in feature_indices], None
    for line, cells in _stream_records(path, source, hasher):
        if header is None:
            header = [name.strip() for name in cells]
            label_index, feature_indices = columns(header)
            yield None, [header[i] for i in feature_indices], None
            continue
        if len(cells) != len(header):
            raise MlspecError(f"{path} line {line}: {len(cells)} cells, but the header has {len(header)}.")
        values, drop = [], False
        for column in feature_indices:
            cell = cells[column].strip()
            if cell == "":
                if missing == "error":
                    raise MlspecError(f"{path} line {line}, column {column + 1}: the cell is empty; fill it in or set `missing:`.")
                drop = drop or missing == "drop"
                values.append(float("nan") if missing == "mean" else 0.0)
            else:
                values.append(_cell_number(cell, f"{path} line {line}, column {column + 1}"))
        label_cell = cells[label_index].strip()
        if label_cell == "":
            if missing != "drop":
                raise MlspecError(f"{path} line {line}, column {label_index + 1}: the label is empty.")
            drop = True
        if not drop:
            yield line, values, label_cell


class _Welford:
    """Per-column count, mean, M2, min, max over non-empty cells of the training rows (stream-stats.ts)."""

    def __init__(self, columns):
        self.count = [0] * columns
        self.mean = [0.0] * columns
        self.m2 = [0.0] * columns
        self.min = [math.inf] * columns
        self.max = [-math.inf] * columns
        self.rows = 0

    def add(self, row):
        self.rows += 1
        for j, value in enumerate(row):
            if math.isnan(value):
                continue
            self.count[j] += 1
            delta = value - self.mean[j]
            self.mean[j] += delta / self.count[j]
            self.m2[j] += delta * (value - self.mean[j])
            if value < self.min[j]:
                self.min[j] = value
            if value > self.max[j]:
                self.max[j] = value

    def normalization(self, kind):
        columns = len(self.count)
        shift, scale = [0.0] * columns, [1.0] * columns
        if kind == "none" or self.rows == 0:
            return {"kind": kind, "shift": shift, "scale": scale}
        for j in range(columns):
            if self.count[j] == 0:
                continue
            if self.min[j] == self.max[j]:
                shift[j] = self.min[j]
            elif kind == "minmax":
                shift[j], scale[j] = self.min[j], self.max[j] - self.min[j]
            else:
                shift[j] = self.mean[j]
                scale[j] = math.sqrt(self.m2[j] / self.rows) or 1.0
        return {"kind": kind, "shift": shift, "scale": scale}


def prepare_streamed_data(data, base_dir, seed):
    """The first pass (split, statistics, kept rows), and every epoch's batches through the seeded shuffle buffer."""
    source = data["source"]
    if not source.get("path"):
        raise MlspecError("Streamed data (`stream: true`) reads one file given as `path`; split files are read in memory, so remove `stream: true`.")
    path = source["path"] if os.path.isabs(source["path"]) else os.path.join(base_dir, source["path"])
    seed = data["seed"] if data.get("seed") is not None else seed
    split_seed = derive_seed(seed, "stream-split")
    capacity = source.get("shuffle_buffer") or STREAM_DEFAULT_SHUFFLE_BUFFER
    categorical = bool(source.get("categorical"))
    hasher = hashlib.sha256()
    stats, names, class_names = None, None, set()
    kept = {"sample": [], "validation": [], "test": []}
    counts = [0, 0, 0]
    empty_columns = set()
    for line, values, label in _stream_rows(path, source, hasher):
        if line is None:
            names = values
            stats = _Welford(len(names))
            continue
        if categorical:
            class_names.add(label)
        part = stream_row_part(split_seed, line, data["split"])
        counts[part] += 1
        for j, value in enumerate(values):
            if math.isnan(value):
                empty_columns.add(j)
        if part == 0:
            stats.add(values)
            if len(kept["sample"]) >= STREAM_TRAIN_SAMPLE_ROWS:
                continue
        kept[("sample", "validation", "test")[part]].append((values, label))
    if sum(counts) == 0:
        raise MlspecError(f"Every data row of {path} has an empty cell, so `missing: drop` leaves no rows.")
    if counts[0] == 0:
        raise MlspecError(f"The split leaves no training rows out of the {sum(counts)} rows; lower `validation` or `test` in `split`.")
    fill = None
    if empty_columns:
        fill = []
        for j in range(len(names)):
            if stats.count[j] == 0 and j in empty_columns:
                raise MlspecError(f"Column `{names[j]}` has no values in the training split, so `missing: mean` cannot fill it.")
            fill.append(stats.mean[j] if stats.count[j] > 0 else 0.0)
    normalization = stats.normalization(data["normalize"])
    classes = sorted(class_names) if categorical else None
    class_index = {name: i for i, name in enumerate(classes or [])}
    shape = data["reshape"] if data.get("reshape") else [len(names)]

    def prepared(values):
        row = [fill[j] if fill is not None and math.isnan(v) else v for j, v in enumerate(values)]
        if data["normalize"] != "none":
            row = [(v - normalization["shift"][j]) / normalization["scale"][j] for j, v in enumerate(row)]
        return row

    def label_of(text):
        return class_index[text] if categorical else _cell_number(text, path)

    def tensors(rows):
        if not rows:
            return None
        x = torch.from_numpy(np.asarray([prepared(v) for v, _ in rows], dtype=np.float64).astype(np.float32).reshape([len(rows)] + list(shape)))
        if categorical:
            labels = {"kind": "classes", "indices": [label_of(t) for _, t in rows], "count": len(classes), "names": classes}
        else:
            labels = {"kind": "values", "values": [[label_of(t)] for _, t in rows]}
        return x, _label_tensor(labels, list(range(len(rows))), data)

    def train_rows(epoch):
        seen = 0
        for line, values, label in _stream_rows(path, source):
            if line is None or stream_row_part(split_seed, line, data["split"]) != 0:
                continue
            seen += 1
            if seen > counts[0]:
                break
            yield values, label
        if seen != counts[0]:
            raise MlspecError(f"{path} changed during the run: epoch {epoch + 1} read {seen} training rows where the first pass read {counts[0]}; leave the file unchanged while it trains.")

    def epoch_batches(epoch, batch, first_batch):
        """The epoch's batches as (x, y) of the whole global batch, from batch `first_batch` on."""
        rng = Rng(derive_seed(seed, "shuffle", epoch)) if data["shuffle"] else None
        buffer, pending, index = [], [], 0
        for row in train_rows(epoch):
            if rng is None:
                pending.append(row)
            elif len(buffer) < capacity:
                buffer.append(row)
            else:
                j = rng.int(capacity)
                pending.append(buffer[j])
                buffer[j] = row
            while len(pending) >= batch:
                rows, pending = pending[:batch], pending[batch:]
                index += 1
                if index > first_batch:
                    yield tensors(rows)
        if rng is not None:
            pending.extend(buffer[j] for j in permutation(len(buffer), rng))
        while pending:
            rows, pending = pending[:batch], pending[batch:]
            index += 1
            if index > first_batch:
                yield tensors(rows)

    return {
        "train": tensors(kept["sample"]),
        "validation": tensors(kept["validation"]),
        "test": tensors(kept["test"]),
        "labels": classes,
        "featureNames": names,
        "normalization": normalization,
        "missingFill": fill,
        "hash": hasher.hexdigest(),
        "streamRows": counts[0],
        "stream": epoch_batches,
    }
