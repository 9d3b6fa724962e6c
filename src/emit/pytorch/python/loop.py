# ---- The training loop (docs/semantics.md, "Training loop"), one process or DistributedDataParallel.


def _json_number(value):
    return value if value is None or math.isfinite(value) else None


def _jsonable(record):
    return {k: (_json_number(v) if isinstance(v, float) else v) for k, v in record.items()}


# Periodic checkpoints are at least this many times their own writing time apart, so that they take
# at most about 1/20 (5%) of the loop's time however short the epochs are (as in mlspec run).
CHECKPOINT_SPACING = 20


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

    # -- checkpoints: mlspec's checkpoint.bin, when `mlspec run` writes one (docs/semantics.md,
    # "Checkpoints"): every checkpoint_every epochs unless the last write was under
    # CHECKPOINT_SPACING times its own duration ago, within an epoch once checkpoint_seconds have
    # passed, on Ctrl-C and at the end. --resume continues from it (or from one written by
    # `mlspec run`), with any number of processes.

    def checkpoint(self, *state):
        started = time.time()
        self.write_checkpoint(*state)
        self.last_checkpoint = time.time()
        self.last_checkpoint_cost = self.last_checkpoint - started

    def seconds_due(self):
        seconds = self.spec["checkpointSeconds"]
        return seconds > 0 and time.time() - self.last_checkpoint >= seconds

    def epoch_due(self, finished):
        every = self.spec["checkpointEvery"]
        spaced = time.time() - self.last_checkpoint >= CHECKPOINT_SPACING * self.last_checkpoint_cost
        return every > 0 and finished % every == 0 and spaced

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

    # -- Ctrl-C: the first one stops at the next step boundary with a checkpoint, a second one at once

    def watch_interrupts(self):
        self.interrupt_flag = False

        def on_interrupt(signum, frame):
            if self.interrupt_flag:
                raise KeyboardInterrupt
            self.interrupt_flag = True

        signal.signal(signal.SIGINT, on_interrupt)

    def interrupted(self):
        if self.world == 1:
            return self.interrupt_flag
        # Every process must stop at the same step: any process's Ctrl-C stops them all.
        flag = torch.tensor([1 if self.interrupt_flag else 0], dtype=torch.int32, device=self.device if self.device.type == "cuda" else "cpu")
        dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        return bool(flag.item())

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
        # Streamed data (stream.py): the loop reads the file each epoch; data["train"] is the training-metrics sample.
        streamed = spec["data"]["source"]["kind"] == "csv" and csv_streams(spec["data"]["source"], spec["dataBaseDir"])
        data = (prepare_streamed_data if streamed else prepare_data)(spec["data"], spec["dataBaseDir"], self.seed)
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
        n = data["streamRows"] if streamed else train_x.shape[0]
        if streamed and spec["batch"] == "full":
            raise MlspecError("Full-batch gradient descent (`gd`) takes the whole training split as one batch, which streamed data never holds; use `sgd` (or another optimizer) with `train.batch`, or read the data at once with `stream: false`.")
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
        # The rows of each split, after a resume's checks (as mlspec run), for `mlspec evaluate --split`.
        split_text = split_file_text(spec["data"], spec["dataBaseDir"], data) if self.main else None
        if split_text is not None:
            write_text(os.path.join(self.out, "split.json"), split_text)
        step, history, stopping = position["step"], position["history"], position["stopped"]
        samples, started = 0, time.time()
        self.last_checkpoint, self.last_checkpoint_cost = started, 0.0
        self.watch_interrupts()
        for epoch in range(position["epoch"], self.epochs):
            if stopping:
                break
            resuming = epoch == position["epoch"] and position["batch"] > 0
            first_batch = position["batch"] if resuming else 0
            epoch_started = time.time()
            order = permutation(n, Rng(derive_seed(self.seed, "shuffle", epoch))) if spec["shuffle"] and spec["batch"] != "full" and not streamed else None
            batches = data["stream"](epoch, batch, first_batch) if streamed else None
            loss_sum, lines, lr = (position["epochLossSum"] if resuming else 0.0), [], base_lr
            last_loss = position["lastLoss"]
            for b in range(first_batch, steps):
                interrupted = self.interrupted()
                if interrupted or (b > 0 and self.seconds_due()):
                    # A checkpoint at this step boundary: on Ctrl-C, then stop (mlspec run does the
                    # same), or because checkpoint_seconds have passed in a long epoch.
                    self.log(lines)
                    lines = []
                    position = {"epoch": epoch, "batch": b, "step": step, "epochLossSum": loss_sum, "epochSamples": b * batch, "history": history, "lastLoss": last_loss, "stopped": False}
                    self.checkpoint(position, optimizer, schedule, stop, best, data["hash"], time.time() - started)
                    if interrupted:
                        raise MlspecError(f"Interrupted at epoch {epoch + 1}, step {step + 1}; a checkpoint was saved. Continue with --resume {self.out}.", 130)
                start, size = b * batch, min(batch, n - b * batch)
                # This process's share of the global batch: contiguous, as even as possible.
                lo, hi = (size * self.rank) // self.world, (size * (self.rank + 1)) // self.world
                if streamed:
                    gx, gy = next(batches)
                    xb, yb = gx[lo:hi].to(self.device), gy[lo:hi].to(self.device)
                else:
                    rows = order[start : start + size] if order is not None else list(range(start, start + size))
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
            if streamed:
                # Reading past the last batch checks that the epoch had every row (E0561 in mlspec run).
                next(batches, None)
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
            # The epoch's checkpoint (the weights of the last epoch, not the restored best); the
            # last epoch's is the run's final one and is always written.
            position = {"epoch": epoch + 1, "batch": 0, "step": step, "epochLossSum": 0.0, "epochSamples": 0, "history": history, "lastLoss": last_loss, "stopped": stopping}
            last = stopping or epoch + 1 >= self.epochs
            if last or self.epoch_due(epoch + 1) or self.seconds_due():
                self.checkpoint(position, optimizer, schedule, stop, best, data["hash"], time.time() - started)
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
            preprocessing = {"labels": data["labels"], "normalization": data["normalization"], "features": data["featureNames"], "missingFill": data["missingFill"]}
            if data.get("columns") is not None:
                preprocessing["columns"] = data["columns"]  # typed columns' vocabularies, as program.ts writes them
            preprocessing["data"] = spec["data"]
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
