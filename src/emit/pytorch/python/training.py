# ---- Losses (docs/semantics.md, "Losses"): the same float32 operations as mlspec's runtime.

PROBABILITY_EPSILON = 1e-7


def _like(y, p):
    return y.reshape(p.shape) if y.shape != p.shape else y


def _log_probabilities(p, from_logits):
    if from_logits:
        return torch.log_softmax(p, dim=-1)
    return torch.log(torch.clamp(p / p.sum(dim=-1, keepdim=True), PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON))


def make_loss(kind, delta=1.0, from_logits=False, **_):
    def mse(y, p):
        return ((_like(y, p) - p) ** 2).mean()

    def mae(y, p):
        return torch.abs(_like(y, p) - p).mean()

    def huber(y, p):
        error = torch.abs(_like(y, p) - p)
        clipped = torch.clamp(error, max=delta)
        return ((clipped * clipped) * 0.5 + (error - clipped) * delta).mean()

    def binary_cross_entropy(y, p):
        z = _like(y, p).float()
        if from_logits:
            ax = torch.abs(p)
            return ((p + ax) * 0.5 - p * z + torch.log1p(torch.exp(-ax))).mean()
        q = torch.clamp(p, PROBABILITY_EPSILON, 1 - PROBABILITY_EPSILON)
        return (-(z * torch.log(q) + (1 - z) * torch.log(1 - q))).mean()

    def categorical_cross_entropy(y, p):
        return (-(_like(y, p).float() * _log_probabilities(p, from_logits)).sum(dim=-1)).mean()

    def sparse_categorical_cross_entropy(y, p):
        classes = p.shape[-1]
        log_p = _log_probabilities(p.reshape(-1, classes), from_logits)
        labels = y.reshape(-1).long()
        return (-(F.one_hot(labels, classes).float() * log_p).sum(dim=-1)).mean()

    return locals()[kind]


# ---- Metrics, over a whole split in inference mode (docs/semantics.md, "Metrics").


def _class_pairs(target, from_logits, y, p):
    if target == "binary":
        return (_like(y, p) > 0.5).long().reshape(-1), (p > (0 if from_logits else 0.5)).long().reshape(-1)
    if target == "categorical":
        return _like(y, p).argmax(dim=-1).reshape(-1), p.argmax(dim=-1).reshape(-1)
    return y.reshape(-1).long(), p.argmax(dim=-1).reshape(-1)


def _scores(actual, predicted, positive):
    tp = int(((actual == positive) & (predicted == positive)).sum())
    fp = int(((actual != positive) & (predicted == positive)).sum())
    fn = int(((actual == positive) & (predicted != positive)).sum())
    precision = tp / (tp + fp) if tp + fp > 0 else 0.0
    recall = tp / (tp + fn) if tp + fn > 0 else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall > 0 else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def make_metric(kind, target="binary", from_logits=False, **_):
    def compute(y, p):
        if kind in ("accuracy", "precision", "recall", "f1"):
            actual, predicted = _class_pairs(target, from_logits, y, p)
            if kind == "accuracy":
                return float((actual == predicted).sum()) / actual.numel() if actual.numel() > 0 else float("nan")
            if target == "binary":
                return _scores(actual, predicted, 1)[kind]
            present = sorted(set(actual.tolist()) | set(predicted.tolist()))
            return sum(_scores(actual, predicted, c)[kind] for c in present) / len(present) if present else 0.0
        a = _like(y, p).float().reshape(-1).double().numpy()
        q = p.float().reshape(-1).double().numpy()
        if kind == "mae":
            return float(np.abs(a - q).sum() / a.size)
        if kind in ("mse", "rmse"):
            mse = float(((a - q) ** 2).sum() / a.size)
            return math.sqrt(mse) if kind == "rmse" else mse
        if kind == "r2":
            residual = float(((a - q) ** 2).sum())
            total = float(((a - a.mean()) ** 2).sum())
            if total == 0:
                return 1.0 if residual == 0 else 0.0
            return 1 - residual / total
        raise MlspecError(f"Unknown metric `{kind}`.")

    compute.metric_name = kind
    return compute


# ---- Optimizers, written out by hand (docs/semantics.md, "Optimizers"); torch.optim's defaults
# and formulas differ (Adam's eps, RMSprop's eps and alpha, Adagrad's accumulator, SGD dampening).


class HandOptimizer:
    """Slots per parameter, in the order semantics.md names them; t counts updates from 1."""

    def __init__(self, kind, params, beta=0.9, form="average", beta1=0.9, beta2=0.999, epsilon=1e-7, rho=0.9, momentum=0.0, centered=False, initial_accumulator=0.1, weight_decay=0.0, **_):
        self.kind, self.params = kind, list(params)
        self.beta, self.form, self.beta1, self.beta2, self.epsilon = beta, form, beta1, beta2, epsilon
        self.rho, self.momentum, self.centered, self.initial_accumulator = rho, momentum, centered, initial_accumulator
        self.weight_decay = weight_decay
        self.iterations = 0
        self.slots = [self._initial_slots(p) for p in self.params]

    def _initial_slots(self, p):
        zeros = lambda: torch.zeros_like(p.detach())
        if self.kind in ("gd", "sgd"):
            return []
        if self.kind == "momentum":
            return [zeros()]
        if self.kind in ("adam", "adamw"):
            return [zeros(), zeros()]
        if self.kind == "rmsprop":
            return [zeros() for _ in range(1 + int(self.centered) + int(self.momentum > 0))]
        if self.kind == "adagrad":
            return [torch.full_like(p.detach(), self.initial_accumulator)]
        raise MlspecError(f"Unknown optimizer `{self.kind}`.")

    @torch.no_grad()
    def step(self, grads, lr):
        t = self.iterations + 1
        for p, g, slots in zip(self.params, grads, self.slots):
            theta = p.detach()
            if self.weight_decay != 0 and self.kind != "adamw":
                g = g + theta * self.weight_decay  # coupled L2
            p.copy_(self._rule(theta, g, slots, lr, t))
        self.iterations = t

    def _rule(self, theta, g, slots, lr, t):
        kind = self.kind
        if kind in ("gd", "sgd"):
            return theta - g * lr
        if kind == "momentum":
            v = slots[0] * self.beta + g * ((1 - self.beta) if self.form == "average" else 1.0)
            slots[0] = v
            direction = g + v * self.beta if self.form == "nesterov" else v
            return theta - direction * lr
        if kind in ("adam", "adamw"):
            if kind == "adamw":
                theta = theta - theta * (lr * self.weight_decay)  # decoupled, before the Adam step
            m = slots[0] * self.beta1 + g * (1 - self.beta1)
            v = slots[1] * self.beta2 + (g * g) * (1 - self.beta2)
            slots[0], slots[1] = m, v
            m_hat = m / (1 - self.beta1**t)
            v_hat = v / (1 - self.beta2**t)
            return theta - (m_hat / (torch.sqrt(v_hat) + self.epsilon)) * lr
        if kind == "rmsprop":
            s = slots[0] * self.rho + (g * g) * (1 - self.rho)
            slots[0] = s
            spread = s
            if self.centered:
                mg = slots[1] * self.rho + g * (1 - self.rho)
                slots[1] = mg
                spread = s - mg * mg
            scaled = g / (torch.sqrt(spread) + self.epsilon)
            if self.momentum <= 0:
                return theta - scaled * lr
            b = slots[-1] * self.momentum + scaled
            slots[-1] = b
            return theta - b * lr
        s = slots[0] + g * g  # adagrad
        slots[0] = s
        return theta - (g / (torch.sqrt(s) + self.epsilon)) * lr


# ---- Gradient clipping (docs/semantics.md, "Clipping"); not clip_grad_norm_, which adds 1e-6.


def clip_gradients(clip, grads):
    if clip is None:
        return grads
    limit = clip["limit"]
    if clip["kind"] == "value":
        return [torch.clamp(g, -limit, limit) for g in grads]
    limit_t = torch.tensor(limit, dtype=torch.float32)
    if clip["kind"] == "norm":
        out = []
        for g in grads:
            norm = torch.sqrt((g * g).sum())
            out.append(g * (limit_t.to(g.device) / torch.maximum(norm, limit_t.to(g.device))))
        return out
    if not grads:
        return grads
    total = None
    for g in grads:
        part = (g * g).sum()
        total = part if total is None else total + part
    scale = limit_t.to(total.device) / torch.maximum(torch.sqrt(total), limit_t.to(total.device))
    return [g * scale for g in grads]


# ---- Learning-rate schedules (docs/semantics.md, "Schedules"), in double precision.


def default_mode(monitor):
    bare = monitor[4:] if monitor.startswith("val_") else monitor
    return "max" if bare in ("accuracy", "precision", "recall", "f1", "r2", "auc") or "acc" in bare else "min"


def improved(mode, current, best, delta):
    return current < best - delta if mode == "min" else current > best + delta


def read_monitor(owner, monitor, metrics):
    if monitor not in metrics:
        raise MlspecError(f"{owner}: monitored metric '{monitor}' is not among this epoch's metrics (available: {', '.join(metrics)}).")
    return metrics[monitor]


class Schedule:
    def __init__(self, kind, unit="step", **options):
        self.kind, self.unit, self.o = kind, unit, options
        self.then = Schedule(**options["then"]) if kind == "warmup" else None
        if kind == "plateau":
            self.unit = "epoch"
            self.state = {"lr": None, "best": None, "wait": 0, "cooldown": 0}
            self.last_base = None

    def get_state(self):
        """The state mlspec's checkpoints hold: plateau's {lr, best, wait, cooldown}, else None."""
        if self.kind == "warmup":
            return self.then.get_state()
        return dict(self.state) if self.kind == "plateau" else None

    def set_state(self, saved):
        if self.kind == "warmup":
            self.then.set_state(saved)
        elif self.kind == "plateau" and saved is not None:
            self.state = {"lr": saved["lr"], "best": saved["best"], "wait": saved["wait"], "cooldown": saved["cooldown"]}

    def counter(self, unit, step, epoch):
        return epoch if unit == "epoch" else step

    def rate(self, base, step, epoch):
        o, kind = self.o, self.kind
        t = self.counter(self.unit, step, epoch)
        if kind == "constant":
            return base
        if kind == "exponential":
            ratio = t / o["every"]
            return base * math.pow(o["rate"], math.floor(ratio) if o.get("staircase") else ratio)
        if kind == "step":
            return base * math.pow(o.get("factor", 0.1), math.floor(t / o["every"]))
        if kind == "multistep":
            return base * math.pow(o.get("factor", 0.1), len([m for m in o["milestones"] if m <= t]))
        if kind == "piecewise":
            return o["values"][len([b for b in o["boundaries"] if b <= t])]
        if kind == "inverse_time":
            ratio = t / o["every"]
            return base / (1 + o["rate"] * (math.floor(ratio) if o.get("staircase") else ratio))
        if kind == "polynomial":
            steps = o["steps"]
            tt = min(t, steps)
            return (base - o.get("end", 0.0001)) * math.pow(1 - tt / steps, o.get("power", 1)) + o.get("end", 0.0001)
        if kind == "cosine":
            steps, low = o["steps"], o.get("min", 0)
            tt = min(t, steps)
            return low + ((base - low) * (1 + math.cos((math.pi * tt) / steps))) / 2
        if kind == "warmup":
            steps = o["steps"]
            if t < steps:
                return (self.then.rate(base, 0, 0) * (t + 1)) / steps
            return self.then.rate(base, step - steps, epoch) if self.unit == "step" else self.then.rate(base, step, epoch - steps)
        if kind == "plateau":
            self.last_base = base
            return self.state["lr"] if self.state["lr"] is not None else base
        raise MlspecError(f"Unknown schedule `{kind}`.")

    def end_epoch(self, metrics):
        if self.kind == "warmup":
            self.then.end_epoch(metrics)
            return
        if self.kind != "plateau":
            return
        o, s = self.o, self.state
        monitor = o.get("monitor", "val_loss")
        mode = o.get("mode") or default_mode(monitor)
        current = read_monitor("schedule plateau", monitor, metrics)
        better = (not math.isnan(current)) if s["best"] is None else improved(mode, current, s["best"], abs(o.get("threshold", 1e-4)))
        if better:
            s["best"], s["wait"] = current, 0
        if s["cooldown"] > 0:
            s["cooldown"] -= 1
            s["wait"] = 0
            return
        if better:
            return
        s["wait"] += 1
        rate = s["lr"] if s["lr"] is not None else self.last_base
        if s["wait"] >= o.get("patience", 10) and rate > o.get("min", 0):
            s["lr"] = max(rate * o.get("factor", 0.1), o.get("min", 0))
            s["cooldown"] = o.get("cooldown", 0)
            s["wait"] = 0


# ---- Stopping rules (docs/semantics.md, "Stopping rules").


class StopRule:
    def __init__(self, kind, **options):
        self.kind, self.o = kind, options
        self.previous, self.calm = None, 0
        self.best, self.best_epoch, self.wait, self.seen = None, None, 0, 0

    def end_epoch(self, epoch, metrics):
        o = self.o
        if self.kind == "epochs":
            return False
        if self.kind == "converged":
            current = read_monitor("stop converged", o.get("monitor", "loss"), metrics)
            close = self.previous is not None and abs(current - self.previous) < o.get("tolerance", 1e-6)
            self.calm = self.calm + 1 if close else 0
            self.previous = current
            return self.calm >= o.get("patience", 3)
        monitor = o.get("monitor", "val_loss")
        mode = o.get("mode") or default_mode(monitor)
        current = read_monitor("stop early", monitor, metrics)
        self.wait += 1
        self.seen += 1
        better = (not math.isnan(current)) if self.best is None else improved(mode, current, self.best, abs(o.get("min_delta", 0)))
        if better:
            self.best, self.best_epoch, self.wait = current, epoch, 0
            return False
        return self.wait >= o.get("patience", 0) and self.seen > 1

    def get_state(self):
        """The state mlspec's checkpoints hold for this rule (stopping.ts)."""
        if self.kind == "converged":
            return {"previous": self.previous, "calm": self.calm}
        if self.kind == "early":
            return {"best": self.best, "bestEpoch": self.best_epoch, "wait": self.wait, "seen": self.seen}
        return None

    def set_state(self, saved):
        if saved is None:
            return
        if self.kind == "converged":
            self.previous, self.calm = saved["previous"], saved["calm"]
        elif self.kind == "early":
            self.best, self.best_epoch, self.wait, self.seen = saved["best"], saved["bestEpoch"], saved["wait"], saved["seen"]

    def restore_epoch(self):
        return self.best_epoch if self.kind == "early" and self.o.get("restore_best") else None
