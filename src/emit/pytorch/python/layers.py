# ---- Layers. Weights are held in TensorFlow.js's layout (dense kernels [in, out], conv kernels
# [h, w, in, out], recurrent kernels [in, gates * units] in Keras' gate order) and images stay
# channels-last, so a run folder's model/ is the tfjs model with no conversion, and every weight
# starts from exactly the numbers tfjs draws for the same seed.


class StepContext:
    """What the training loop tells the layers about the step being computed."""

    seed = 0
    step = 0
    # Rows of this process's part of the global batch: [row_start, row_start + rows) of global_rows.
    row_start = 0
    global_rows = 0
    distributed = False


STEP = StepContext()


def _fans(shape):
    if len(shape) == 2:
        return shape[0], shape[1]
    if len(shape) in (3, 4, 5):
        receptive = int(np.prod(shape[:-2]))
        return shape[-2] * receptive, shape[-1] * receptive
    size = math.sqrt(int(np.prod(shape)))
    return size, size


def initial_weight(name, shape, seed):
    """The initial value tfjs gives a weight of this shape for an mlspec initializer name and seed."""
    shape = list(shape)
    if name == "zeros":
        return torch.zeros(shape)
    if name == "ones":
        return torch.ones(shape)
    if name == "random_uniform":
        return tfjs_random_uniform(shape, -0.05, 0.05, seed)
    if name == "random_normal":
        return tfjs_random_normal(shape, 0.0, 0.05, seed, truncated=False)
    if name == "orthogonal":
        # The seeded normal matrix tfjs draws, orthogonalised by a QR in double precision: tfjs's
        # float32 QR gives the same matrix to about 1e-7 (pass --init-from RUN for its exact bits).
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        normal = tfjs_random_normal([max(rows, cols), min(rows, cols)], 0.0, 1.0, seed, truncated=False).double()
        q, r = torch.linalg.qr(normal)
        q = q * torch.sign(torch.diagonal(r))
        q = q if rows >= cols else q.t()
        return q[:rows, :cols].reshape(shape).float()
    scale, mode, distribution = {
        "glorot_uniform": (1.0, "avg", "uniform"),
        "glorot_normal": (1.0, "avg", "normal"),
        "he_uniform": (2.0, "in", "uniform"),
        "he_normal": (2.0, "in", "normal"),
        "lecun_uniform": (1.0, "in", "uniform"),
        "lecun_normal": (1.0, "in", "normal"),
    }[name]
    fan_in, fan_out = _fans(shape)
    scale /= max(1, fan_in) if mode == "in" else max(1, (fan_in + fan_out) / 2)
    if distribution == "normal":
        return tfjs_random_normal(shape, 0.0, math.sqrt(scale), seed, truncated=True)
    limit = math.sqrt(3 * scale)
    return tfjs_random_uniform(shape, -limit, limit, seed)


def activation(name, x):
    if name == "linear":
        return x
    if name == "relu":
        return torch.relu(x)
    if name == "sigmoid":
        return torch.sigmoid(x)
    if name == "tanh":
        return torch.tanh(x)
    if name == "softmax":
        return torch.softmax(x, dim=-1)
    if name == "elu":
        return F.elu(x)
    if name == "selu":
        return F.selu(x)
    if name == "gelu":
        return x * 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    if name == "softplus":
        return F.softplus(x)
    if name == "swish":
        return x * torch.sigmoid(x)
    if name == "leaky_relu":
        return F.leaky_relu(x, 0.2)
    raise MlspecError(f"Unknown activation `{name}`.")


class MlspecLayer(nn.Module):
    """A layer with tfjs-named weights: `weights` lists (tfjs weight name, tensor) in tfjs's order."""

    def __init__(self, name, seed=None, **_):
        super().__init__()
        self.mlspec_name = name
        self.weight_names = []

    def add_weight(self, weight, value, trainable=True):
        self.weight_names.append(weight)
        if trainable:
            self.register_parameter(weight, nn.Parameter(value))
        else:
            self.register_buffer(weight, value)

    def named_tfjs_weights(self):
        return [(f"{self.mlspec_name}/{w}", getattr(self, w)) for w in self.weight_names]

    def init_seed(self, seed, weight):
        return derive_seed(seed, "init", self.mlspec_name, weight)


class Dense(MlspecLayer):
    def __init__(self, name, seed, *, inputs=None, units, activation="linear", initializer="glorot_uniform", use_bias=True, **_):
        super().__init__(name)
        self.activation = activation
        self.add_weight("kernel", initial_weight(initializer, [inputs, units], self.init_seed(seed, "kernel")))
        self.use_bias = use_bias
        if use_bias:
            self.add_weight("bias", torch.zeros(units))

    def forward(self, x):
        y = torch.matmul(x, self.kernel)
        if self.use_bias:
            y = y + self.bias
        return activation(self.activation, y)


def _same_padding(size, kernel, stride):
    out = -(-size // stride)
    total = max((out - 1) * stride + kernel - size, 0)
    return total // 2, total - total // 2


class Conv(MlspecLayer):
    """conv1d / conv2d on channels-last inputs, TensorFlow's `same` padding (the extra row at the end)."""

    def __init__(self, name, seed, *, inputs=None, filters, kernel, stride, padding="valid", activation="linear", initializer="glorot_uniform", use_bias=True, **_):
        super().__init__(name)
        self.kernel_size = list(kernel) if isinstance(kernel, list) else [kernel]
        self.stride = list(stride) if isinstance(stride, list) else [stride]
        self.padding, self.activation, self.use_bias = padding, activation, use_bias
        self.add_weight("kernel", initial_weight(initializer, self.kernel_size + [inputs, filters], self.init_seed(seed, "kernel")))
        if use_bias:
            self.add_weight("bias", torch.zeros(filters))

    def forward(self, x):
        dims = len(self.kernel_size)
        x = x.movedim(-1, 1)  # channels-last -> channels-first
        if self.padding == "same":
            pads = []
            for axis in reversed(range(dims)):
                pads.extend(_same_padding(x.shape[2 + axis], self.kernel_size[axis], self.stride[axis]))
            x = F.pad(x, pads)
        weight = self.kernel.permute(*range(dims + 1, dims - 1, -1), *range(dims))  # [k.., in, out] -> [out, in, k..]
        conv = F.conv2d if dims == 2 else F.conv1d
        y = conv(x, weight, None, self.stride)
        y = y.movedim(1, -1)
        if self.use_bias:
            y = y + self.bias
        return activation(self.activation, y)


class Pool(MlspecLayer):
    """max/avg pooling, channels-last; `same` pads like TensorFlow (averages count only real cells)."""

    def __init__(self, name, seed, *, inputs=None, size, stride, padding="valid", kind="max", **_):
        super().__init__(name)
        self.size = list(size) if isinstance(size, list) else [size]
        self.stride = list(stride) if isinstance(stride, list) else [stride]
        self.padding, self.kind = padding, kind

    def forward(self, x):
        dims = len(self.size)
        x = x.movedim(-1, 1)
        pool = {("max", 1): F.max_pool1d, ("max", 2): F.max_pool2d, ("avg", 1): F.avg_pool1d, ("avg", 2): F.avg_pool2d}[(self.kind, dims)]
        if self.padding == "same":
            pads = []
            for axis in reversed(range(dims)):
                pads.extend(_same_padding(x.shape[2 + axis], self.size[axis], self.stride[axis]))
            if self.kind == "max":
                y = pool(F.pad(x, pads, value=-math.inf), self.size, self.stride)
            else:
                # The mean of the real cells of each window, as TensorFlow and tfjs's forward pass
                # (padding may be uneven, which F.avg_pool's own padding cannot express). Its gradient
                # is the true one, dy / count per real cell, as mlspec run's (which corrects tfjs's).
                ones = torch.ones_like(x[:1, :1])
                whole = pool(F.pad(x, pads), self.size, self.stride)
                real = pool(F.pad(ones, pads), self.size, self.stride)
                y = whole / real
        else:
            y = pool(x, self.size, self.stride)
        return y.movedim(1, -1)


class GlobalPool(MlspecLayer):
    def __init__(self, name, seed, *, inputs=None, kind="avg", dims=2, **_):
        super().__init__(name)
        self.kind, self.dims = kind, dims

    def forward(self, x):
        axes = tuple(range(1, 1 + self.dims))
        if self.kind == "avg":
            return x.mean(dim=axes)
        # As tf.max: every position equal to the maximum gets the whole gradient (amax would share it out).
        top = x.detach().amax(dim=axes)
        mask = x.detach() == x.detach().amax(dim=axes, keepdim=True)
        return top + ((x - x.detach()) * mask).sum(dim=axes)


class Flatten(MlspecLayer):
    def forward(self, x):
        return x.reshape(x.shape[0], -1)


class Reshape(MlspecLayer):
    def __init__(self, name, seed, *, inputs=None, shape, **_):
        super().__init__(name)
        self.shape = list(shape)

    def forward(self, x):
        return x.reshape([x.shape[0]] + self.shape)


class Activation(MlspecLayer):
    def __init__(self, name, seed, *, inputs=None, fn, **_):
        super().__init__(name)
        self.fn = fn

    def forward(self, x):
        return activation(self.fn, x)


class Dropout(MlspecLayer):
    """Inverted dropout with tfjs's masks: keep = tf.randomUniform(global batch shape, seed) >= rate,
    seed = derive_seed(run seed, 'dropout', layer, step). A process of a distributed run takes its rows
    of the global batch's mask, so N processes drop exactly what one process drops."""

    def __init__(self, name, seed, *, inputs=None, rate, **_):
        super().__init__(name)
        self.rate = rate

    def forward(self, x):
        if not self.training or self.rate <= 0:
            return x
        return seeded_dropout(x, self.rate, derive_seed(STEP.seed, "dropout", self.mlspec_name, STEP.step))


def seeded_dropout(x, rate, seed, rows_per_sample=1):
    """tfjs's applySeededDropout: keep = tf.randomUniform(shape, seed) >= rate, kept values scaled by
    1 / (1 - rate). The mask is drawn for the global batch (rows_per_sample rows of x per sample, e.g.
    attention heads) and this process takes its rows."""
    if rate <= 0:
        return x
    shape = [STEP.global_rows * rows_per_sample] + list(x.shape[1:])
    start = STEP.row_start * rows_per_sample
    u = tfjs_random_uniform(shape, 0.0, 1.0, seed)[start : start + x.shape[0]].to(x.device)
    keep = (u >= torch.tensor(rate, dtype=torch.float32)).float()
    return x * (keep * (1 / (1 - rate)))


def _global_sum(t):
    """A sum over the rows of every process (differentiable), or t itself in one process."""
    if STEP.distributed:
        return dist_nn.all_reduce(t)
    return t


class BatchNorm(MlspecLayer):
    """Batch normalisation over every axis but the last (channels-last), as tfjs: biased batch variance,
    moving <- moving - (moving - batch) * (1 - momentum). In a distributed run the statistics are those of
    the global batch (summed over processes), so N processes compute what one process computes."""

    def __init__(self, name, seed, *, inputs=None, momentum=0.99, epsilon=0.001, **_):
        super().__init__(name)
        self.momentum, self.epsilon = momentum, epsilon
        self.add_weight("gamma", torch.ones(inputs))
        self.add_weight("beta", torch.zeros(inputs))
        self.add_weight("moving_mean", torch.zeros(inputs), trainable=False)
        self.add_weight("moving_variance", torch.ones(inputs), trainable=False)

    def forward(self, x):
        if not self.training:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            axes = tuple(range(x.dim() - 1))
            count = STEP.global_rows * int(np.prod(x.shape[1:-1])) if STEP.distributed else int(np.prod(x.shape[:-1]))
            if STEP.distributed:
                mean = _global_sum(x.sum(dim=axes)) / count
                variance = _global_sum(((x - mean) ** 2).sum(dim=axes)) / count
            else:
                mean = x.mean(dim=axes)
                variance = ((x - mean) ** 2).mean(dim=axes)
            with torch.no_grad():
                decay = 1 - self.momentum
                self.moving_mean.copy_(self.moving_mean - (self.moving_mean - mean) * decay)
                self.moving_variance.copy_(self.moving_variance - (self.moving_variance - variance) * decay)
        return (x - mean) * torch.rsqrt(variance + self.epsilon) * self.gamma + self.beta


class LayerNorm(MlspecLayer):
    def __init__(self, name, seed, *, inputs=None, epsilon=0.001, **_):
        super().__init__(name)
        self.epsilon = epsilon
        self.add_weight("gamma", torch.ones(inputs))
        self.add_weight("beta", torch.zeros(inputs))

    def forward(self, x):
        mean = x.mean(dim=-1, keepdim=True)
        variance = ((x - mean) ** 2).mean(dim=-1, keepdim=True)
        return (x - mean) * torch.rsqrt(variance + self.epsilon) * self.gamma + self.beta


class Embedding(MlspecLayer):
    def __init__(self, name, seed, *, inputs=None, vocab, dim, initializer="random_uniform", **_):
        super().__init__(name)
        self.add_weight("embeddings", initial_weight(initializer, [vocab, dim], self.init_seed(seed, "embeddings")))

    def forward(self, x):
        return self.embeddings[x.long()]


class Recurrent(MlspecLayer):
    """simple_rnn, lstm and gru written out step by step as Keras/tfjs compute them (sigmoid gates;
    LSTM gates i, f, c, o with the forget bias starting at 1; GRU gates z, r, h with the reset gate
    applied before the recurrent kernel, i.e. reset_after=False, which torch.nn.GRU cannot express)."""

    GATES = {"simple_rnn": 1, "lstm": 4, "gru": 3}

    def __init__(self, name, seed, *, inputs=None, units, kind, return_sequences=False, activation="tanh", initializer="glorot_uniform", use_bias=True, **_):
        super().__init__(name)
        self.kind, self.units, self.return_sequences, self.activation, self.use_bias = kind, units, return_sequences, activation, use_bias
        gates = self.GATES[kind]
        self.add_weight("kernel", initial_weight(initializer, [inputs, gates * units], self.init_seed(seed, "kernel")))
        self.add_weight("recurrent_kernel", initial_weight(initializer, [units, gates * units], self.init_seed(seed, "recurrent_kernel")))
        if use_bias:
            bias = torch.zeros(gates * units)
            if kind == "lstm":
                bias[units : 2 * units] = 1.0
            self.add_weight("bias", bias)

    def forward(self, x):
        n, steps = x.shape[0], x.shape[1]
        u = self.units
        h = torch.zeros(n, u, dtype=x.dtype, device=x.device)
        c = torch.zeros_like(h)
        outputs = []
        for t in range(steps):
            xt = x[:, t]
            if self.kind == "simple_rnn":
                z = torch.matmul(xt, self.kernel)
                if self.use_bias:
                    z = z + self.bias
                h = activation(self.activation, z + torch.matmul(h, self.recurrent_kernel))
            elif self.kind == "lstm":
                z = torch.matmul(xt, self.kernel) + torch.matmul(h, self.recurrent_kernel)
                if self.use_bias:
                    z = z + self.bias
                i, f, g, o = z[:, :u], z[:, u : 2 * u], z[:, 2 * u : 3 * u], z[:, 3 * u :]
                c = torch.sigmoid(f) * c + torch.sigmoid(i) * activation(self.activation, g)
                h = torch.sigmoid(o) * activation(self.activation, c)
            else:
                mx = torch.matmul(xt, self.kernel)
                if self.use_bias:
                    mx = mx + self.bias
                inner = torch.matmul(h, self.recurrent_kernel[:, : 2 * u])
                z = torch.sigmoid(mx[:, :u] + inner[:, :u])
                r = torch.sigmoid(mx[:, u : 2 * u] + inner[:, u:])
                hh = activation(self.activation, mx[:, 2 * u :] + torch.matmul(r * h, self.recurrent_kernel[:, 2 * u :]))
                h = z * h + (1 - z) * hh
            outputs.append(h)
        return torch.stack(outputs, dim=1) if self.return_sequences else h


def merge(kind, tensors, axis=-1):
    if kind == "add":
        out = tensors[0]
        for t in tensors[1:]:
            out = out + t
        return out
    if kind == "multiply":
        out = tensors[0]
        for t in tensors[1:]:
            out = out * t
        return out
    return torch.cat(tensors, dim=axis + 1 if axis >= 0 else axis)


class MlspecModel(nn.Module):
    """Base of the generated Model: tfjs weight names, penalties, and loading/saving tfjs weights."""

    def tfjs_weights(self):
        out = []
        for module in self.modules():
            if isinstance(module, MlspecLayer):
                out.extend(module.named_tfjs_weights())
        return dict(out)

    def penalty(self):
        total = None
        for layer, l1, l2 in self.penalties:
            w = getattr(self, layer).kernel
            if l1 > 0:
                term = torch.abs(w).sum() * l1
                total = term if total is None else total + term
            if l2 > 0:
                term = (w * w).sum() * l2
                total = term if total is None else total + term
        return total
