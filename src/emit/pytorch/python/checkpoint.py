# ---- Checkpoints in mlspec's format (src/runtime/checkpoint.ts, tensor-file.ts): magic, u32 header
# length, JSON {header, arrays}, the arrays' float32 bytes; weights in the tfjs model's weight order,
# optimizer slots variable by variable over the trainable weights. Version 2 files (a trailing SHA-256)
# are read too.

CHECKPOINT_FILE = "checkpoint.bin"
_MAGIC_V1, _MAGIC_V2 = b"MLSPEC1\n", b"MLSPEC2\n"


def write_tensor_file(path, header, arrays):
    index = [{"name": name, "dtype": "float32", "shape": list(a.shape), "length": int(a.size)} for name, a in arrays]
    head = json.dumps({"header": header, "arrays": index}, separators=(",", ":")).encode("utf-8")
    body = b"".join(np.ascontiguousarray(a, dtype="<f4").tobytes() for _, a in arrays)
    write_bytes(path, _MAGIC_V1 + struct.pack("<I", len(head)) + head + body)


def read_tensor_file(path):
    with open(path, "rb") as f:
        data = f.read()
    if data[:8] == _MAGIC_V2:
        if len(data) < 44 or hashlib.sha256(data[:-32]).digest() != data[-32:]:
            raise MlspecError(f"Cannot resume from {path}: the checkpoint is damaged (its SHA-256 does not match).")
        data = data[:-32]
    elif data[:8] != _MAGIC_V1:
        raise MlspecError(f"Cannot resume from {path}: it is not an mlspec checkpoint.")
    try:
        length = struct.unpack_from("<I", data, 8)[0]
        parsed = json.loads(data[12 : 12 + length].decode("utf-8"))
        offset, arrays = 12 + length, []
        for a in parsed["arrays"]:
            values = np.frombuffer(data, dtype="<i4" if a["dtype"] == "int32" else "<f4", count=a["length"], offset=offset)
            arrays.append((a["name"], values.reshape(a["shape"]).copy()))
            offset += 4 * a["length"]
    except (ValueError, KeyError, struct.error) as error:
        raise MlspecError(f"Cannot resume from {path}: the checkpoint is truncated or malformed ({error}).")
    return parsed["header"], arrays


def _manifest_names(spec):
    return [w["name"] for w in spec["tfjsModel"]["weightsManifest"][0]["weights"]]


def checkpoint_arrays(model, spec, optimizer, best):
    weights = model.tfjs_weights()
    arrays = [(f"weight/{i}/{name}", weights[name].detach().cpu().numpy()) for i, name in enumerate(_manifest_names(spec))]
    slots_by_name = {name: None for name in spec["trainable"]}
    names = {id(t): name for name, t in weights.items()}
    for p, slots in zip(optimizer.params, optimizer.slots):
        slots_by_name[names[id(p)]] = slots
    k = 0
    for name in spec["trainable"]:
        for slot in slots_by_name[name] or []:
            arrays.append((f"optimizer/{k}", slot.detach().cpu().numpy()))
            k += 1
    if best is not None:
        arrays.extend((f"best/{i}", best[1][name].cpu().numpy()) for i, name in enumerate(_manifest_names(spec)))
    return arrays


def restore_checkpoint(model, spec, optimizer, schedule, stop, header, arrays):
    """Puts a checkpoint's state into the model, optimizer, schedule and stop rule; returns the best snapshot."""
    names = _manifest_names(spec)
    weights = [a for n, a in arrays if n.startswith("weight/")]
    if len(weights) != len(names):
        raise MlspecError(f"The checkpoint holds {len(weights)} weights but the model has {len(names)}.")
    targets = model.tfjs_weights()
    with torch.no_grad():
        for name, value in zip(names, weights):
            if list(value.shape) != list(targets[name].shape):
                raise MlspecError(f"The checkpoint's weight {name} has shape {list(value.shape)}, not {list(targets[name].shape)}.")
            targets[name].copy_(torch.from_numpy(value))
    slots = [torch.from_numpy(a) for n, a in arrays if n.startswith("optimizer/")]
    if slots:
        per = len(optimizer.slots[0]) if optimizer.slots else 0
        if per == 0 or len(slots) != per * len(spec["trainable"]):
            raise MlspecError(f"The checkpoint holds {len(slots)} optimizer slots, which do not fit this optimizer.")
        by_name = {name: slots[i * per : (i + 1) * per] for i, name in enumerate(spec["trainable"])}
        ids = {id(t): name for name, t in targets.items()}
        optimizer.slots = [[t.to(p.device) for t in by_name[ids[id(p)]]] for p in optimizer.params]
    optimizer.iterations = header["optimizerIterations"]
    schedule.set_state(header["schedule"])
    # A different stop rule starts afresh: another rule's state would be read as garbage.
    if header.get("stopRule") in (None, stop.kind):
        stop.set_state(header["stop"])
    best = [a for n, a in arrays if n.startswith("best/")]
    if header["bestEpoch"] is not None and best:
        return header["bestEpoch"], {name: torch.from_numpy(a) for name, a in zip(names, best)}
    return None
