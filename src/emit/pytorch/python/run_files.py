# ---- Run-folder files: atomic writes, the model in the tfjs layers format.


def write_text(path, text):
    write_bytes(path, text.encode("utf-8"))


def write_bytes(path, data):
    directory = os.path.dirname(path) or "."
    os.makedirs(directory, exist_ok=True)
    temporary = os.path.join(directory, f".{os.path.basename(path)}.{os.getpid()}.tmp")
    with open(temporary, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())
    os.replace(temporary, path)


def save_tfjs_model(model, template, directory):
    """model.json (the tfjs topology mlspec compile recorded, plus weightsSha256) and weights.bin (float32, little-endian, manifest order)."""
    weights = model.tfjs_weights()
    chunks = []
    for spec in template["weightsManifest"][0]["weights"]:
        tensor = weights[spec["name"]].detach().cpu().float().contiguous()
        if list(tensor.shape) != list(spec["shape"]):
            raise MlspecError(f"Weight {spec['name']} has shape {list(tensor.shape)}, but the tfjs model expects {spec['shape']}.")
        chunks.append(tensor.numpy().astype("<f4").tobytes())
    weights_bin = b"".join(chunks)
    # mlspec's integrity convention: the lowercase hex SHA-256 of the weight files, checked by its readers.
    model_json = dict(template)
    metadata = dict(model_json.get("userDefinedMetadata") or {})
    metadata["mlspec"] = {**metadata.get("mlspec", {}), "weightsSha256": hashlib.sha256(weights_bin).hexdigest()}
    model_json["userDefinedMetadata"] = metadata
    write_bytes(os.path.join(directory, "weights.bin"), weights_bin)
    write_text(os.path.join(directory, "model.json"), json.dumps(model_json))


def load_tfjs_weights(model, source):
    """--init-from RUN_OR_MODEL_DIR: the weights of a tfjs layers model (an mlspec run's model/), by name."""
    directory = os.path.join(source, "model") if os.path.exists(os.path.join(source, "model", "model.json")) else source
    json_path = os.path.join(directory, "model.json")
    if not os.path.exists(json_path):
        raise MlspecError(f"There is no saved model in {source} (expected model/model.json) to initialise from.")
    with open(json_path) as f:
        manifest = json.load(f)["weightsManifest"]
    data = b"".join(open(os.path.join(directory, p), "rb").read() for group in manifest for p in group["paths"])
    targets = model.tfjs_weights()
    offset = 0
    seen = set()
    for group in manifest:
        for spec in group["weights"]:
            if spec.get("dtype", "float32") != "float32":
                raise MlspecError(f"Weight {spec['name']} of {directory} is {spec['dtype']}, not float32.")
            count = int(np.prod(spec["shape"])) if spec["shape"] else 1
            values = np.frombuffer(data, dtype="<f4", count=count, offset=offset).reshape(spec["shape"])
            offset += 4 * count
            if spec["name"] not in targets or list(targets[spec["name"]].shape) != list(spec["shape"]):
                raise MlspecError(f"The model saved in {source} does not fit this spec's model (weight {spec['name']} {spec['shape']}); --init-from needs the same architecture.")
            with torch.no_grad():
                targets[spec["name"]].copy_(torch.from_numpy(values.copy()))
            seen.add(spec["name"])
    missing = sorted(set(targets) - seen)
    if missing:
        raise MlspecError(f"The model saved in {source} has no weight {missing[0]}; --init-from needs the same architecture.")


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def split_file_text(data_config, base_dir, data):
    """split.json as src/runtime/data/split-file.ts writes it, for image folders and generated data;
    None for CSV files, whose per-row file lines the program does not track yet."""
    source = data_config["source"]
    if source["kind"] == "csv":
        return None
    split = data["split"]
    fields = {
        "version": 1,
        "source": source["kind"],
        "file": os.path.abspath(os.path.join(base_dir, source["path"])) if source["kind"] == "images" else None,
        "data_hash": data["hash"],
        "seed": split["seed"],
        "shuffle": data_config["shuffle"],
        "stratify": bool(data_config["split"].get("stratify")),
        "rows": split["rows"],
        "train": split["train"],
        "validation": split["validation"],
        "test": split["test"],
        "lines": None,
    }
    body = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v, separators=(',', ':'), ensure_ascii=False)}" for k, v in fields.items())
    return "{\n" + body + "\n}\n"
