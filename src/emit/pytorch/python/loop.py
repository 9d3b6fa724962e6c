# ---- The training loop (docs/semantics.md, "Training loop"), one process or DistributedDataParallel.


def _json_number(value):
    return value if value is None or math.isfinite(value) else None


def _jsonable(record):
    return {k: (_json_number(v) if isinstance(v, float) else v) for k, v in record.items()}


class Run:
    """One training run: device, processes, data, model, loop, and the run folder it leaves."""

    def __init__(self, spec, model_class, args):
        self.spec, self.args = spec, args
        self.seed = args.seed if args.seed is not None else spec["seed"]
        self.epochs = args.epochs if args.epochs is not None else spec["epochs"]
        self.world = int(os.environ.get("WORLD_SIZE", "1"))
        self.rank = int(os.environ.get("RANK", "0"))
        self.local_rank = int(os.environ.get("LOCAL_RANK", "0"))
        wants_cuda = args.device == "cuda" or (args.device == "auto" and torch.cuda.is_available())
        if args.device == "cuda" and not torch.cuda.is_available():
            raise MlspecError("--device cuda was asked for, but PyTorch sees no CUDA device; use --device cpu or auto.")
        self.device = torch.device(f"cuda:{self.local_rank}" if wants_cuda else "cpu")
        if wants_cuda:
            torch.cuda.set_device(self.device)
            torch.backends.cuda.matmul.allow_tf32 = False  # float32 as mlspec computes it
            torch.backends.cudnn.allow_tf32 = False
        if self.world > 1:
            dist.init_process_group(backend="nccl" if wants_cuda else "gloo")
            STEP.distributed = True
        self.main = self.rank == 0
        self.model_class = model_class

    def say(self, text):
        if self.main and not self.args.quiet:
            print(text, file=sys.stderr, flush=True)

    # -- the run folder

    def prepare_folder(self):
        if self.args.resume:
            self.out = os.path.abspath(self.args.resume)
            return
        out = self.args.out or os.path.join("runs", self.spec["name"], time.strftime("%Y-%m-%dT%H-%M-%S", time.gmtime()))
        self.out = os.path.abspath(out)
        if self.main:
            if os.path.exists(self.out) and not os.path.isdir(self.out):
                raise MlspecError(f"The output path {self.out} is a file, not a folder; choose another with --out.")
            if os.path.isdir(self.out) and os.listdir(self.out) and not self.args.force:
                raise MlspecError(f"The output folder {self.out} already holds files of an earlier run; choose another with --out, or pass --force to overwrite it.")
            os.makedirs(self.out, exist_ok=True)
            for stale in (CHECKPOINT_FILE, "checkpoint.pt"):
                if os.path.exists(os.path.join(self.out, stale)):
                    os.remove(os.path.join(self.out, stale))
            with open(os.path.join(self.out, "metrics.jsonl"), "w"):
                pass
            write_text(os.path.join(self.out, "spec.mlspec"), self.spec["specSource"])

    def log(self, lines):
        if self.main and lines:
            with open(os.path.join(self.out, "metrics.jsonl"), "a") as f:
                f.write("".join(json.dumps(_jsonable(line), separators=(",", ":")) + "\n" for line in lines))

    # -- checkpoints: mlspec's checkpoint.bin after every epoch; --resume continues from it (or from
    # one written by `mlspec run`), with any number of processes

    def write_checkpoint(self, position, optimizer, schedule, stop, best, data_hash, seconds):
        if not self.main:
            return
        header = {
            "version": 1,
            "specHash": self.spec["specHash"],
            "dataHash": data_hash,
            "fingerprint": self.spec["fingerprint"],
            "seed": self.seed,
            "position": position,
            "optimizerIterations": optimizer.iterations,
            "schedule": schedule.get_state(),
            "stop": stop.get_state(),
            "stopRule": stop.kind,
            "metricsBytes": os.path.getsize(os.path.join(self.out, "metrics.jsonl")),
            "bestEpoch": None if best is None else best[0],
            "elapsedSeconds": self.elapsed_before + seconds,
        }
        write_tensor_file(os.path.join(self.out, CHECKPOINT_FILE), _deep_jsonable(header), checkpoint_arrays(self.model, self.spec, optimizer, best))

    def read_checkpoint(self, data_hash):
        # Rank 0 reads the file (the run folder need not be shared between machines) and sends it to the others.
        state = [None]
        if self.main:
            path = os.path.join(self.out, CHECKPOINT_FILE)
            if not os.path.exists(path):
                state[0] = MlspecError(f"There is no checkpoint to resume in {self.out} (expected {CHECKPOINT_FILE}).")
            else:
                try:
                    state[0] = read_tensor_file(path)
                except MlspecError as error:
                    state[0] = error
        if self.world > 1:
            dist.broadcast_object_list(state, src=0)
        state = state[0]
        if isinstance(state, MlspecError):
            raise state
        header = state[0]
        saved = header["fingerprint"]
        changed = [key for key in sorted(set(saved) | set(self.spec["fingerprint"])) if saved.get(key) != self.spec["fingerprint"].get(key)]
        if header["seed"] != self.seed:
            changed.append("seed")
        if header["dataHash"] != data_hash:
            changed.append("data contents")
        if changed:
            raise MlspecError(f"Cannot resume {self.out}: the {', '.join(changed)} changed since its checkpoint; only epochs, metrics, the stop rule and the device or number of processes may change when resuming.")
        return state

    # -- evaluation

    def predict(self, x, batch=512):
        self.model.eval()
        with torch.no_grad():
            parts = [self.model(x[i : i + batch].to(self.device)) for i in range(0, x.shape[0], batch)]
        return torch.cat(parts, dim=0) if len(parts) > 1 else parts[0]

    def evaluate(self, split, prefix=""):
        x, y = split
        pred = self.predict(x)
        y = y.to(self.device)
        with torch.no_grad():
            value = self.loss(y, pred)
            penalty = self.model.penalty()
            if penalty is not None:
                value = value + penalty
        out = {f"{prefix}loss": float(value)}
        for metric in self.metrics:
            out[f"{prefix}{metric.metric_name}"] = metric(y.cpu(), pred.cpu())
        return out

    # -- the loop

    def train(self):
        spec = self.spec
        self.prepare_folder()
        where = f"{self.world} processes" if self.world > 1 else "1 process"
        self.say(f"mlspec: training {spec['name']} with PyTorch {torch.__version__} on {self.device.type} ({where}); output in {self.out}")
        data = prepare_data(spec["data"], spec["dataBaseDir"], self.seed)
        STEP.seed = self.seed
        self.model = self.model_class(self.seed).to(self.device)
        # DistributedDataParallel copies rank 0's weights to the others, so only rank 0 needs the folder.
        if self.args.init_from and (self.main or os.path.exists(self.args.init_from)):
            load_tfjs_weights(self.model, self.args.init_from)
            self.say(f"mlspec: initialised the weights from {self.args.init_from}")
        self.loss = make_loss(**spec["loss"])
        self.metrics = [make_metric(**m) for m in spec["metrics"]]
        schedule = Schedule(**spec["schedule"])
        stop = StopRule(**spec["stop"])
        clip = spec["clip"]
        params = [p for p in self.model.parameters()]
        optimizer = HandOptimizer(params=params, **spec["optimizer"])
        trainer = self.model
        if self.world > 1:
            trainer = nn.parallel.DistributedDataParallel(self.model, device_ids=[self.device.index] if self.device.type == "cuda" else None, broadcast_buffers=False)

        train_x, train_y = data["train"]
        n = train_x.shape[0]
        batch = n if spec["batch"] == "full" else min(spec["batch"], n)
        steps = -(-n // batch)
        smallest = n - (steps - 1) * batch
        if self.world > smallest:
            # Every process computes the same check, so all of them stop here alike.
            raise MlspecError(f"A batch of {smallest} rows cannot be shared by {self.world} processes (every process needs at least one row); use fewer processes or a batch size that leaves at least {self.world} rows in the last batch.")
        base_lr = spec["learningRate"]
        position = {"epoch": 0, "batch": 0, "step": 0, "epochLossSum": 0.0, "epochSamples": 0, "history": [], "lastLoss": None, "stopped": False}
        best = None
        self.elapsed_before = 0.0
        if self.args.resume:
            header, arrays = self.read_checkpoint(data["hash"])
            best = restore_checkpoint(self.model, self.spec, optimizer, schedule, stop, header, arrays)
            position = header["position"]
            self.elapsed_before = header["elapsedSeconds"]
            if self.main:
                with open(os.path.join(self.out, "metrics.jsonl"), "r+") as f:
                    f.truncate(header["metricsBytes"])
            self.say(f"mlspec: resumed at epoch {position['epoch'] + 1}, step {position['step'] + 1}")
        step, history, stopping = position["step"], position["history"], position["stopped"]
        samples, started = 0, time.time()
        for epoch in range(position["epoch"], self.epochs):
            if stopping:
                break
            resuming = epoch == position["epoch"] and position["batch"] > 0
            first_batch = position["batch"] if resuming else 0
            epoch_started = time.time()
            order = permutation(n, Rng(derive_seed(self.seed, "shuffle", epoch))) if spec["shuffle"] and spec["batch"] != "full" else None
            loss_sum, lines, lr = (position["epochLossSum"] if resuming else 0.0), [], base_lr
            last_loss = position["lastLoss"]
            for b in range(first_batch, steps):
                start, size = b * batch, min(batch, n - b * batch)
                rows = order[start : start + size] if order is not None else list(range(start, start + size))
                # This process's share of the global batch: contiguous, as even as possible.
                lo, hi = (size * self.rank) // self.world, (size * (self.rank + 1)) // self.world
                mine = torch.tensor(rows[lo:hi], dtype=torch.long)
                xb, yb = train_x[mine].to(self.device), train_y[mine].to(self.device)
                STEP.step, STEP.row_start, STEP.global_rows = step, lo, size
                lr = schedule.rate(base_lr, step, epoch)
                self.model.train()
                pred = trainer(xb)
                value = self.loss(yb, pred)
                penalty = self.model.penalty()
                if penalty is not None:
                    value = value + penalty
                if self.world > 1:
                    share = (hi - lo) / size
                    part = value * share
                    # DDP averages gradients over processes; scaling by world makes it their sum.
                    (part * self.world).backward()
                    total = part.detach().clone()
                    dist.all_reduce(total)
                    loss_value = float(total)
                else:
                    value.backward()
                    loss_value = float(value.detach())
                if not math.isfinite(loss_value):
                    self.log(lines)
                    raise MlspecError(f"The loss became {loss_value} at epoch {epoch + 1}, step {step + 1}; lower the learning rate, add gradient clipping, or normalize the data.", 3)
                grads = [p.grad if p.grad is not None else torch.zeros_like(p) for p in params]
                optimizer.step(clip_gradients(clip, grads), lr)
                for p in params:
                    p.grad = None
                loss_sum += loss_value * size
                last_loss = loss_value
                samples += size
                lines.append({"type": "step", "epoch": epoch + 1, "step": step + 1, "loss": loss_value, "lr": lr})
                step += 1
            metrics = {"loss": loss_sum / n}
            if self.metrics:
                train_metrics = self.evaluate(data["train"])
                for m in self.metrics:
                    metrics[m.metric_name] = train_metrics[m.metric_name]
            if data["validation"] is not None:
                metrics.update(self.evaluate(data["validation"], "val_"))
            metrics["lr"] = lr
            history.append(metrics)
            schedule.end_epoch(metrics)
            stopping = stop.end_epoch(epoch, metrics)
            if stop.restore_epoch() == epoch:
                best = (epoch, {k: v.detach().clone() for k, v in self.model.tfjs_weights().items()})
            seconds = time.time() - epoch_started
            lines.append({"type": "epoch", "epoch": epoch + 1, **metrics, "time_s": seconds})
            self.log(lines)
            shown = "  ".join(f"{k} {v:.4g}" for k, v in metrics.items())
            self.say(f"epoch {epoch + 1}/{self.epochs}  {shown}")
            # A checkpoint after every epoch (the weights of the last epoch, not the restored best).
            position = {"epoch": epoch + 1, "batch": 0, "step": step, "epochLossSum": 0.0, "epochSamples": 0, "history": history, "lastLoss": last_loss, "stopped": stopping}
            self.write_checkpoint(position, optimizer, schedule, stop, best, data["hash"], time.time() - started)
        training_seconds = time.time() - started
        restored = None
        if best is not None and stop.restore_epoch() == best[0]:
            targets = self.model.tfjs_weights()
            with torch.no_grad():
                for name, value in best[1].items():
                    targets[name].copy_(value.to(targets[name].device))
            restored = best[0]
            self.say(f"mlspec: restored the weights of epoch {restored + 1}, the best by the stop rule")
        results = {
            "train": self.evaluate(data["train"]),
            "validation": self.evaluate(data["validation"]) if data["validation"] is not None else None,
            "test": self.evaluate(data["test"]) if data["test"] is not None else None,
        }
        summary = {
            "spec": spec["name"],
            "spec_hash": spec["specHash"],
            "data_hash": data["hash"],
            "seed": self.seed,
            "backend": f"pytorch-{self.device.type}" + (f"-ddp{self.world}" if self.world > 1 else ""),
            "epochs_run": len(history),
            "steps": step,
            "stopped_early": stopping,
            "restored_best_epoch": None if restored is None else restored + 1,
            "wall_time_s": self.elapsed_before + time.time() - self.started,
            "samples_per_s": samples / training_seconds if training_seconds > 0 else 0,
            **results,
            "out": self.out,
        }
        if self.main:
            save_tfjs_model(self.model, spec["tfjsModel"], os.path.join(self.out, "model"))
            preprocessing = {"labels": data["labels"], "normalization": data["normalization"], "features": data["featureNames"], "missingFill": data["missingFill"], "data": spec["data"]}
            write_text(os.path.join(self.out, "preprocessing.json"), json.dumps(preprocessing, indent=2) + "\n")
            write_text(os.path.join(self.out, "summary.json"), json.dumps(_deep_jsonable(summary), indent=2) + "\n")
            if self.args.json:
                print(json.dumps(_deep_jsonable(summary)))
            elif not self.args.quiet:
                for part in ("train", "validation", "test"):
                    if results[part] is not None:
                        print(f"{part:<10} " + "  ".join(f"{k} {v:.4f}" for k, v in results[part].items()))
                print(f"{len(history)} epochs, {step} steps in {summary['wall_time_s']:.1f}s on {summary['backend']}; model, metrics and summary written to {self.out}")
        return summary


def _deep_jsonable(value):
    if isinstance(value, dict):
        return {k: _deep_jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_jsonable(v) for v in value]
    if isinstance(value, float):
        return _json_number(value)
    return value


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
    """model.json (the tfjs topology mlspec compile recorded) and weights.bin (float32, little-endian, manifest order)."""
    weights = model.tfjs_weights()
    chunks = []
    for spec in template["weightsManifest"][0]["weights"]:
        tensor = weights[spec["name"]].detach().cpu().float().contiguous()
        if list(tensor.shape) != list(spec["shape"]):
            raise MlspecError(f"Weight {spec['name']} has shape {list(tensor.shape)}, but the tfjs model expects {spec['shape']}.")
        chunks.append(tensor.numpy().astype("<f4").tobytes())
    write_bytes(os.path.join(directory, "weights.bin"), b"".join(chunks))
    write_text(os.path.join(directory, "model.json"), json.dumps(template))


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


# ---- The command line of a generated train.py.


def parse_args(argv, name):
    parser = argparse.ArgumentParser(prog="train.py", description=f"Train {name} as `mlspec run` does, on PyTorch (one process, or DistributedDataParallel under torchrun).")
    parser.add_argument("--out", help="run folder (default runs/<name>/<time>)")
    parser.add_argument("--epochs", type=int, help="override the spec's epochs")
    parser.add_argument("--seed", type=int, help="override the spec's seed")
    parser.add_argument("--device", choices=["auto", "cpu", "cuda"], default="auto", help="where to train (default auto: CUDA when present)")
    parser.add_argument("--init-from", dest="init_from", help="start from the weights of a run folder or tfjs model folder")
    parser.add_argument("--resume", help="continue the run in this folder from its checkpoint.bin, written by this program or by `mlspec run` (any number of processes)")
    parser.add_argument("--force", action="store_true", help="write into a folder that already holds files")
    parser.add_argument("--quiet", action="store_true", help="print nothing but errors")
    parser.add_argument("--json", action="store_true", help="print the summary as JSON on stdout")
    return parser.parse_args(argv)


def main(spec, model_class, argv=None):
    """Runs the spec; returns the exit code (0 ok, 1 a problem with the spec, data or files, 3 diverged)."""
    args = parse_args(sys.argv[1:] if argv is None else argv, spec["name"])
    try:
        run = Run(spec, model_class, args)
        run.started = time.time()
        run.train()
        return 0
    except MlspecError as error:
        print(f"train.py: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("train.py: interrupted; the run folder keeps the checkpoint of the last finished epoch (continue with --resume).", file=sys.stderr)
        return 130
    except OSError as error:
        print(f"train.py: error: cannot use {error.filename or 'a file'} ({error.strerror or error}).", file=sys.stderr)
        return 1
    finally:
        if dist.is_available() and dist.is_initialized():
            dist.destroy_process_group()


def read_json(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
