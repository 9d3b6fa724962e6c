# ---- Self-attention, the transformer encoder block and the positional embedding (src/runtime/layers/).


def _layer_normalize(x, gamma, beta, epsilon):
    mean = x.mean(dim=-1, keepdim=True)
    centered = x - mean
    variance = (centered * centered).mean(dim=-1, keepdim=True)
    return (centered * torch.rsqrt(variance + epsilon)) * gamma + beta


class SelfAttention(MlspecLayer):
    """Multi-head self-attention as mlspec's attention-math.ts: q, k, v projections with biases,
    softmax(q k^T / sqrt(key_dim)) (+ -1e9 above the diagonal when causal), dropout on the
    probabilities, the output projection. `prefix` names the weights inside a transformer block."""

    def __init__(self, name, seed, *, inputs=None, heads, key_dim, dropout=0.0, causal=False, prefix="", **_):
        super().__init__(name)
        self.heads, self.key_dim, self.dropout, self.causal, self.prefix = heads, key_dim, dropout, causal, prefix
        projected = heads * key_dim
        for part, shape in (("query", [inputs, projected]), ("key", [inputs, projected]), ("value", [inputs, projected]), ("output", [projected, inputs])):
            weight = f"{prefix}{part}_kernel"
            self.add_weight(weight, initial_weight("glorot_uniform", shape, self.init_seed(seed, weight)))
            self.add_weight(f"{prefix}{part}_bias", torch.zeros(shape[1]))

    def w(self, name):
        return getattr(self, f"{self.prefix}{name}")

    def attend(self, x, drop_site=None):
        batch, seq, dim = x.shape
        h, k = self.heads, self.key_dim
        rows = x.reshape(batch * seq, dim)

        def to_heads(part):
            projected = torch.matmul(rows, self.w(f"{part}_kernel")) + self.w(f"{part}_bias")
            return projected.reshape(batch, seq, h, k).permute(0, 2, 1, 3).reshape(batch * h, seq, k)

        q, key, v = to_heads("query"), to_heads("key"), to_heads("value")
        scores = torch.matmul(q, key.transpose(1, 2)) / math.sqrt(k)
        if self.causal:
            mask = torch.triu(torch.full((seq, seq), -1e9, dtype=x.dtype, device=x.device), diagonal=1)
            scores = scores + mask
        probabilities = torch.softmax(scores, dim=-1)
        if self.training and self.dropout > 0 and drop_site is not None:
            probabilities = seeded_dropout(probabilities, self.dropout, drop_site, rows_per_sample=h)
        context = torch.matmul(probabilities, v)
        merged = context.reshape(batch, h, seq, k).permute(0, 2, 1, 3).reshape(batch * seq, h * k)
        out = torch.matmul(merged, self.w("output_kernel")) + self.w("output_bias")
        return out.reshape(batch, seq, dim)

    def forward(self, x):
        return self.attend(x, derive_seed(STEP.seed, "dropout", self.mlspec_name, "attention", STEP.step))


class Transformer(SelfAttention):
    """A transformer encoder block as mlspec's transformer-encoder.ts (post-norm): attention,
    dropout, residual, layer norm; relu feed-forward, dropout, residual, layer norm."""

    def __init__(self, name, seed, *, inputs=None, heads, key_dim, ff, dropout=0.0, causal=False, epsilon=1e-6, **_):
        super().__init__(name, seed, inputs=inputs, heads=heads, key_dim=key_dim, dropout=dropout, causal=causal, prefix="attention_")
        self.epsilon = epsilon
        self.add_weight("attention_norm_gamma", torch.ones(inputs))
        self.add_weight("attention_norm_beta", torch.zeros(inputs))
        self.add_weight("ff_inner_kernel", initial_weight("glorot_uniform", [inputs, ff], self.init_seed(seed, "ff_inner_kernel")))
        self.add_weight("ff_inner_bias", torch.zeros(ff))
        self.add_weight("ff_outer_kernel", initial_weight("glorot_uniform", [ff, inputs], self.init_seed(seed, "ff_outer_kernel")))
        self.add_weight("ff_outer_bias", torch.zeros(inputs))
        self.add_weight("output_norm_gamma", torch.ones(inputs))
        self.add_weight("output_norm_beta", torch.zeros(inputs))

    def forward(self, x):
        site = lambda name: derive_seed(STEP.seed, "dropout", self.mlspec_name, name, STEP.step)
        drop = lambda t, name: seeded_dropout(t, self.dropout, site(name)) if self.training else t
        batch, seq, dim = x.shape
        attended = self.attend(x, site("attention"))
        h = _layer_normalize(x + drop(attended, "attention_residual"), self.attention_norm_gamma, self.attention_norm_beta, self.epsilon)
        inner = torch.relu(torch.matmul(h.reshape(batch * seq, dim), self.ff_inner_kernel) + self.ff_inner_bias)
        fed = (torch.matmul(inner, self.ff_outer_kernel) + self.ff_outer_bias).reshape(batch, seq, dim)
        return _layer_normalize(h + drop(fed, "ff_residual"), self.output_norm_gamma, self.output_norm_beta, self.epsilon)


class PositionalEmbedding(MlspecLayer):
    """Adds a learned [max_length, dim] table (glorot_uniform) to a [seq, dim] input."""

    def __init__(self, name, seed, *, inputs=None, max_length, **_):
        super().__init__(name)
        self.add_weight("embeddings", initial_weight("glorot_uniform", [max_length, inputs], self.init_seed(seed, "embeddings")))

    def forward(self, x):
        return x + self.embeddings[: x.shape[1]]
