# ---- Seeded randomness, exactly as mlspec's src/runtime/rng.ts (FNV-1a + fmix32 seeds, mulberry32).

_U32 = 0xFFFFFFFF


def _imul(a, b):
    return (a * b) & _U32


def _utf16_units(text):
    data = text.encode("utf-16-le")
    return [data[i] | (data[i + 1] << 8) for i in range(0, len(data), 2)]


def _js_string(value):
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def derive_seed(seed, *labels):
    """A stable seed for one purpose, e.g. derive_seed(seed, "shuffle", epoch)."""
    h = (0x811C9DC5 ^ (int(seed) & _U32)) & _U32
    for label in labels:
        for unit in _utf16_units("/" + _js_string(label)):
            h ^= unit
            h = _imul(h, 0x01000193)
    return _fmix32(h)


def _fmix32(h):
    """murmur3's 32-bit finaliser (rng.ts fmix32)."""
    h ^= h >> 16
    h = _imul(h, 0x85EBCA6B)
    h ^= h >> 13
    h = _imul(h, 0xC2B2AE35)
    h ^= h >> 16
    return h


class Rng:
    """mulberry32: uniform [0, 1), integers in [0, n), Box-Muller normals."""

    def __init__(self, seed):
        self.state = int(seed) & _U32

    def next(self):
        self.state = (self.state + 0x6D2B79F5) & _U32
        t = self.state
        t = _imul(t ^ (t >> 15), t | 1)
        t ^= (t + _imul(t ^ (t >> 7), t | 61)) & _U32
        return ((t ^ (t >> 14)) & _U32) / 4294967296

    def int(self, n):
        return math.floor(self.next() * n)

    def normal(self):
        u = self.next()
        while u == 0:
            u = self.next()
        return math.sqrt(-2 * math.log(u)) * math.cos(2 * math.pi * self.next())


def permutation(n, rng):
    """A seeded Fisher-Yates permutation of 0..n-1."""
    order = list(range(n))
    for i in range(n - 1, 0, -1):
        j = rng.int(i + 1)
        order[i], order[j] = order[j], order[i]
    return order


def _to_u32(x):
    return int(x) % 4294967296


class Alea:
    """seedrandom's alea, the generator TensorFlow.js seeds its random ops with (tf.randomUniform(..., seed))."""

    def __init__(self, seed):
        self._n = 0xEFC8249D
        self.c = 1
        self.s0 = self._mash(" ")
        self.s1 = self._mash(" ")
        self.s2 = self._mash(" ")
        self.s0 -= self._mash(seed)
        if self.s0 < 0:
            self.s0 += 1
        self.s1 -= self._mash(seed)
        if self.s1 < 0:
            self.s1 += 1
        self.s2 -= self._mash(seed)
        if self.s2 < 0:
            self.s2 += 1

    def _mash(self, data):
        n = self._n
        for unit in _utf16_units(str(data)):
            n += unit
            h = 0.02519603282416938 * n
            n = _to_u32(h)
            h -= n
            h *= n
            n = _to_u32(h)
            h -= n
            n += h * 0x100000000
        self._n = n
        return _to_u32(n) * 2.3283064365386963e-10

    def __call__(self):
        t = 2091639 * self.s0 + self.c * 2.3283064365386963e-10
        self.s0 = self.s1
        self.s1 = self.s2
        self.c = int(t)
        self.s2 = t - self.c
        return self.s2


def tfjs_random_uniform(shape, low, high, seed):
    """tf.randomUniform(shape, low, high, 'float32', seed): the same float32 values, row-major."""
    count = int(np.prod(shape)) if len(shape) > 0 else 1
    rand = Alea(_js_string(seed))
    span = high - low
    values = np.fromiter((low + span * rand() for _ in range(count)), dtype=np.float64, count=count)
    return torch.from_numpy(values.astype(np.float32).reshape(shape))


def tfjs_random_normal(shape, mean, std, seed, truncated):
    """tf.randomNormal / tf.truncatedNormal with a seed (Marsaglia's polar method on alea), float32."""
    count = int(np.prod(shape)) if len(shape) > 0 else 1
    rand = Alea(_js_string(seed))
    upper, lower = mean + std * 2, mean - std * 2
    ok = lambda v: (not truncated) or (lower <= v <= upper)
    out = []
    pending = None
    while len(out) < count:
        if pending is not None:
            out.append(pending)
            pending = None
            continue
        while True:
            while True:
                v1 = 2 * rand() - 1
                v2 = 2 * rand() - 1
                s = v1 * v1 + v2 * v2
                if not (s >= 1 or s == 0):
                    break
            m = math.sqrt(-2.0 * math.log(s) / s)
            x = mean + std * v1 * m
            y = mean + std * v2 * m
            if ok(x):
                break
        if ok(y):
            pending = y
        out.append(x)
    return torch.from_numpy(np.asarray(out, dtype=np.float64).astype(np.float32).reshape(shape))
