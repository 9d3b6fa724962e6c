# ---- Image folders: images(path, size, channels), as src/runtime/data/images-source.ts reads them.
# PNG files are decoded here to the RGBA bytes pngjs 7.0.0 gives (image-decode.ts), then converted,
# resized and scaled as image-pixels.ts does, in double precision in the same order, so the float32
# pixels are the same bits. JPEG files are refused: no decoder here gives jpeg-js's pixels.

IMAGE_EXTENSIONS = (".png", ".jpg", ".jpeg")
IMAGE_MAX_MEGAPIXELS = 64
IMAGE_MAX_VALUES = 10_000_000  # DATA_GENERATOR_MAX_VALUES
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_PNG_READ_CHUNKS = (b"IHDR", b"PLTE", b"tRNS", b"gAMA", b"IDAT", b"IEND")
_PNG_CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}  # colour type -> samples per pixel
# Adam7: for each pass, the x and y offsets within every 8x8 block (pngjs's interlace.js).
_ADAM7 = [([0], [0]), ([4], [0]), ([0, 4], [4]), ([2, 6], [0, 4]), ([0, 2, 4, 6], [2, 6]), ([1, 3, 5, 7], [0, 2, 4, 6]), ([0, 1, 2, 3, 4, 5, 6, 7], [1, 3, 5, 7])]


class ImageDecodeError(Exception):
    """Why a file is not a PNG this program can read, in words."""


def image_format(data):
    if data[:8] == _PNG_SIGNATURE:
        return "png"
    if data[:3] == b"\xff\xd8\xff":
        return "jpeg"
    return None


def _png_chunks(data):
    """IHDR fields, the PLTE entries (RGBA, alpha from tRNS), the tRNS grey/RGB key, and the joined IDAT bytes."""
    position, header, palette, key, idat = 8, None, [], None, []
    while True:
        if position + 8 > len(data):
            raise ImageDecodeError("it is not a valid PNG file: it ends before its IEND chunk")
        length, name = struct.unpack(">I", data[position : position + 4])[0], data[position + 4 : position + 8]
        body = data[position + 8 : position + 8 + length]
        crc = data[position + 8 + length : position + 12 + length]
        if len(body) != length or len(crc) != 4:
            raise ImageDecodeError("it is not a valid PNG file: it ends inside a chunk")
        # pngjs checks the CRC of the chunks it reads, and skips other ancillary chunks unchecked.
        if name in _PNG_READ_CHUNKS and crc != struct.pack(">I", zlib.crc32(name + body)):
            raise ImageDecodeError(f"it is not a valid PNG file: the CRC of its {name.decode('latin-1')} chunk is wrong")
        position += 12 + length
        if header is None and name != b"IHDR":
            raise ImageDecodeError("it is not a valid PNG file: it does not start with IHDR")
        if name == b"IHDR":
            width, height, depth, colour, compression, method, interlace = struct.unpack(">IIBBBBB", body[:13])
            if depth not in (1, 2, 4, 8, 16):
                raise ImageDecodeError(f"it is not a valid PNG file: unsupported bit depth {depth}")
            if colour not in _PNG_CHANNELS or compression != 0 or method != 0 or interlace not in (0, 1):
                raise ImageDecodeError("it is not a valid PNG file: unsupported colour type, compression, filter or interlace method")
            header = (width, height, depth, colour, interlace)
        elif name == b"PLTE":
            palette = [[body[3 * i], body[3 * i + 1], body[3 * i + 2], 255] for i in range(len(body) // 3)]
        elif name == b"tRNS":
            colour = header[3]
            if colour == 3:
                if not palette or len(body) > len(palette):
                    raise ImageDecodeError("it is not a valid PNG file: its tRNS chunk does not fit its palette")
                for i, alpha in enumerate(body):
                    palette[i][3] = alpha
            elif colour == 0:
                key = struct.unpack(">H", body[:2])
            elif colour == 2:
                key = struct.unpack(">HHH", body[:6])
        elif name == b"IDAT":
            if header[3] == 3 and not palette:
                raise ImageDecodeError("it is not a valid PNG file: its palette is missing")
            idat.append(body)
        elif name == b"IEND":
            if position != len(data):
                raise ImageDecodeError("it is not a valid PNG file: unrecognised content after its IEND chunk")
            return header, palette, key, b"".join(idat)
        elif not (name[0] & 0x20):
            raise ImageDecodeError(f"it is not a valid PNG file: unsupported critical chunk {name.decode('latin-1')}")


def _png_unfilter(raw, offset, rows, row_bytes, left):
    """The rows of one (pass) image from the inflated bytes at offset; `left` is the filter's pixel distance in bytes."""
    out = np.zeros((rows, row_bytes), dtype=np.uint8)
    previous = bytearray(row_bytes)
    for y in range(rows):
        if offset + 1 + row_bytes > len(raw):
            raise ImageDecodeError("it is not a valid PNG file: its image data is too short")
        kind = raw[offset]
        line = bytearray(raw[offset + 1 : offset + 1 + row_bytes])
        offset += 1 + row_bytes
        if kind == 1:
            for x in range(left, row_bytes):
                line[x] = (line[x] + line[x - left]) & 255
        elif kind == 2:
            line = bytearray(((np.frombuffer(line, np.uint8).astype(np.uint16) + np.frombuffer(previous, np.uint8)) & 255).astype(np.uint8).tobytes())
        elif kind == 3:
            for x in range(row_bytes):
                line[x] = (line[x] + ((line[x - left] if x >= left else 0) + previous[x]) // 2) & 255
        elif kind == 4:
            for x in range(row_bytes):
                a = line[x - left] if x >= left else 0
                b = previous[x]
                c = previous[x - left] if x >= left else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        elif kind != 0:
            raise ImageDecodeError(f"it is not a valid PNG file: unknown filter type {kind}")
        out[y] = np.frombuffer(bytes(line), np.uint8)
        previous = line
    return out, offset


def _png_samples(rows, width, samples, depth):
    """Unfiltered rows to a [height, width, samples] array of raw sample values (uint16)."""
    if depth == 8:
        return rows[:, : width * samples].reshape(rows.shape[0], width, samples).astype(np.uint16)
    if depth == 16:
        pairs = rows[:, : width * samples * 2].astype(np.uint16)
        return ((pairs[:, 0::2] << 8) | pairs[:, 1::2]).reshape(rows.shape[0], width, samples)
    bits = np.unpackbits(rows, axis=1).reshape(rows.shape[0], -1, depth)
    weights = (1 << np.arange(depth - 1, -1, -1)).astype(np.uint16)
    values = (bits.astype(np.uint16) * weights).sum(axis=2).astype(np.uint16)
    return values[:, : width * samples].reshape(rows.shape[0], width, samples)


def decode_png(data):
    """A PNG file's bytes to (width, height, rgba uint8 [height, width, 4]), the bytes pngjs's PNG.sync.read gives."""
    (width, height, depth, colour, interlace), palette, key, compressed = _png_chunks(data)
    if width * height > IMAGE_MAX_MEGAPIXELS * 1024 * 1024:
        raise ImageDecodeError(f"it has more than {IMAGE_MAX_MEGAPIXELS} megapixels")
    if width == 0 or height == 0:
        raise ImageDecodeError("it is not a valid PNG file: it has no pixels")
    samples = _PNG_CHANNELS[colour]
    left = max(1, samples * depth // 8)
    passes = []
    if interlace:
        for xs, ys in _ADAM7:
            pass_width = (width // 8) * len(xs) + sum(1 for x in xs if x < width % 8)
            pass_height = (height // 8) * len(ys) + sum(1 for y in ys if y < height % 8)
            if pass_width > 0 and pass_height > 0:
                passes.append((pass_width, pass_height, xs, ys))
    else:
        passes.append((width, height, None, None))
    expected = sum(((w * samples * depth + 7) // 8 + 1) * h for w, h, _, _ in passes)
    try:
        # Inflated no further than the image needs (a hostile stream cannot fill memory). Like
        # pngjs, a non-interlaced image ignores what follows its rows; an interlaced one refuses it.
        raw = zlib.decompressobj().decompress(compressed, expected + 1)
    except zlib.error as error:
        raise ImageDecodeError(f"it is not a valid PNG file: its image data does not inflate ({error})")
    if len(raw) > expected and not interlace:
        raw = raw[:expected]
    values = np.zeros((height, width, samples), dtype=np.uint16)
    offset = 0
    for pass_width, pass_height, xs, ys in passes:
        row_bytes = (pass_width * samples * depth + 7) // 8
        rows, offset = _png_unfilter(raw, offset, pass_height, row_bytes, left)
        pixels = _png_samples(rows, pass_width, samples, depth)
        if xs is None:
            values = pixels
            continue
        column = np.arange(pass_width)
        row = np.arange(pass_height)
        outer_x = (column // len(xs)) * 8 + np.asarray(xs)[column % len(xs)]
        outer_y = (row // len(ys)) * 8 + np.asarray(ys)[row % len(ys)]
        values[np.ix_(outer_y, outer_x)] = pixels
    if offset != len(raw):
        raise ImageDecodeError("it is not a valid PNG file: extra data found after its image data")
    if colour == 3:
        table = np.asarray(palette, dtype=np.uint8)
        index = values[:, :, 0]
        if int(index.max()) >= len(palette):
            raise ImageDecodeError(f"it is not a valid PNG file: index {int(index.max())} not in palette")
        return width, height, table[index]
    full = (1 << depth) - 1
    grey = samples <= 2
    rgb = np.repeat(values[:, :, :1], 3, axis=2) if grey else values[:, :, :3]
    alpha = values[:, :, samples - 1 : samples] if samples in (2, 4) else np.full((height, width, 1), full, dtype=np.uint16)
    rgba = np.concatenate([rgb, alpha], axis=2)
    if key is not None:
        # pngjs: a pixel of the tRNS colour becomes 0, 0, 0, 0 (compared before rescaling).
        match = rgba[:, :, 0] == key[0] if len(key) == 1 else (rgba[:, :, 0] == key[0]) & (rgba[:, :, 1] == key[1]) & (rgba[:, :, 2] == key[2])
        rgba[match] = 0
    if depth != 8:
        rgba = np.floor(rgba.astype(np.float64) * 255 / full + 0.5)
    return width, height, rgba.astype(np.uint8)


def _image_resize_axis(size_in, size_out):
    scale = size_in / size_out
    source = np.minimum(np.maximum((np.arange(size_out, dtype=np.float64) + 0.5) * scale - 0.5, 0.0), size_in - 1)
    low = np.floor(source).astype(np.int64)
    return low, np.minimum(low + 1, size_in - 1), source - low


def image_sample(rgba, size, channels):
    """image-pixels.ts's imageSample: [height, width, channels] float64 in [0, 1] (float32 later, as tfjs)."""
    rgba = rgba.astype(np.float64)
    if channels == 3:
        planes = rgba[:, :, :3]
    else:
        r, g, b = rgba[:, :, 0], rgba[:, :, 1], rgba[:, :, 2]
        luma = 0.299 * r + 0.587 * g + 0.114 * b
        planes = np.where((r == g) & (g == b), r, luma)[:, :, None]
    height, width = size
    if planes.shape[0] == height and planes.shape[1] == width:
        return planes / 255
    rows, columns = _image_resize_axis(planes.shape[0], height), _image_resize_axis(planes.shape[1], width)
    y0, y1, dy = rows[0][:, None], rows[1][:, None], rows[2][:, None, None]
    x0, x1, dx = columns[0][None, :], columns[1][None, :], columns[2][None, :, None]
    top = planes[y0, x0] + (planes[y0, x1] - planes[y0, x0]) * dx
    bottom = planes[y1, x0] + (planes[y1, x1] - planes[y1, x0]) * dx
    return (top + (bottom - top) * dy) / 255


def _is_image_name(name):
    return not name.startswith(".") and os.path.splitext(name)[1].lower() in IMAGE_EXTENSIONS


def list_image_folder(shown, base_dir):
    """image-folder.ts: (class names, [(relative path, class index)]), classes and files by code point."""
    folder = shown if os.path.isabs(shown) else os.path.join(base_dir, shown)
    if not os.path.isdir(folder):
        what = "it is a file, not a folder" if os.path.exists(folder) else "it does not exist"
        raise MlspecError(f"Cannot read the image folder `{shown}` ({what}); name a folder holding one subfolder of images per class (looked for {os.path.abspath(folder)}).")
    entries = sorted(name for name in os.listdir(folder) if not name.startswith("."))
    classes = [name for name in entries if os.path.isdir(os.path.join(folder, name))]
    if not classes:
        raise MlspecError(f"The image folder `{shown}` has no class subfolders; put each class's images in a subfolder named after the class, e.g. `{shown}/cat/1.png`.")
    files = []
    for index, name in enumerate(classes):
        inside = os.path.join(folder, name)
        images = sorted(f for f in os.listdir(inside) if _is_image_name(f) and not os.path.isdir(os.path.join(inside, f)))
        if not images:
            raise MlspecError(f"The class folder `{shown}/{name}` holds no PNG or JPEG images (.png, .jpg, .jpeg); add images of class `{name}`, or remove the folder.")
        files.extend((f"{name}/{image}", index) for image in images)
    return folder, classes, files


def read_image_bytes(path, shown):
    try:
        with open(path, "rb") as f:
            return f.read()
    except OSError as error:
        raise MlspecError(f"Cannot read the image `{shown}` ({error.strerror}); make it readable or remove it.")


def image_file_sample(data, shown, size, channels):
    """One file's sample as a flat list of floats (row-major, channels last)."""
    kind = image_format(data)
    if kind == "jpeg":
        raise MlspecError(f"The image `{shown}` is a JPEG file, which the PyTorch program cannot read with mlspec's pixels; convert it to PNG, or train with `mlspec run`.")
    if kind is None:
        raise MlspecError(f"Cannot decode the image `{shown}` (it is neither a PNG nor a JPEG file); replace it with a valid PNG file, or remove it.")
    try:
        _, _, rgba = decode_png(data)
    except (ImageDecodeError, struct.error, IndexError, ValueError) as error:
        raise MlspecError(f"Cannot decode the image `{shown}` ({error}); replace it with a valid PNG file, or remove it.")
    return image_sample(rgba, size, channels).reshape(-1).tolist()


def read_image_folder(source, base_dir, classes=None):
    """The images source as a table (features, labels, hash) like read_csv_table's."""
    size, channels = [int(n) for n in source["size"]], int(source["channels"])
    folder, found, files = list_image_folder(source["path"], base_dir)
    values = len(files) * size[0] * size[1] * channels
    if values > IMAGE_MAX_VALUES:
        raise MlspecError(f"The {len(files)} images of `{source['path']}` at size {size} with {channels} channels make {values:,} numbers, more than the {IMAGE_MAX_VALUES:,} mlspec holds in memory; use a smaller size or fewer images.")
    names = list(classes) if classes is not None else found
    index = {name: i for i, name in enumerate(names)}
    for name in found:
        if name not in index:
            raise MlspecError(f"The image folder `{source['path']}` has class folder `{name}`, which is not one of the model's classes; remove that folder or retrain with it.")
    digest = hashlib.sha256()
    features, indices = [], []
    for relative, class_index in files:
        data = read_image_bytes(os.path.join(folder, *relative.split("/")), f"{source['path']}/{relative}")
        digest.update(relative.encode("utf-8") + b"\0" + data + b"\0")
        features.append(image_file_sample(data, f"{source['path']}/{relative}", size, channels))
        indices.append(index[found[class_index]])
    return {
        "features": features,
        "featureNames": [f"pixel{j + 1}" for j in range(size[0] * size[1] * channels)],
        "hasMissing": False,
        "sampleShape": [size[0], size[1], channels],
        "dtype": "float32",
        "labels": {"kind": "classes", "indices": indices, "count": len(names), "names": list(names)},
        "hash": digest.hexdigest(),
    }
