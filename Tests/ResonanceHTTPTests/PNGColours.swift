/// A PNG reader in Python's standard library (zlib + struct), run by the dashboard test to
/// measure Chromium's screenshot: no image package is needed on the machine.
///
/// Given the PNG and `#rrggbb` colours, prints one line per colour: the colour, how many pixels
/// have it exactly, and how many separate runs of columns contain it (bars of a histogram).
enum PNGColours {
    static let script = #"""
        import struct, sys, zlib

        def read(path):
            data = open(path, "rb").read()
            assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
            pos, idat, width, height, kind = 8, b"", 0, 0, 0
            while pos < len(data):
                length, tag = struct.unpack(">I4s", data[pos:pos + 8])
                body = data[pos + 8:pos + 8 + length]
                if tag == b"IHDR":
                    width, height, depth, kind = struct.unpack(">IIBB", body[:10])
                    assert depth == 8 and kind in (2, 6), "unsupported PNG type"
                elif tag == b"IDAT":
                    idat += body
                pos += 12 + length
            raw, size = zlib.decompress(idat), 3 if kind == 2 else 4
            stride, rows, prev, at = width * size, [], bytearray(width * size), 0
            for _ in range(height):
                mode, line = raw[at], bytearray(raw[at + 1:at + 1 + stride])
                at += 1 + stride
                for i in range(stride):
                    a = line[i - size] if i >= size else 0
                    b = prev[i]
                    c = prev[i - size] if i >= size else 0
                    if mode == 1: line[i] = (line[i] + a) & 255
                    elif mode == 2: line[i] = (line[i] + b) & 255
                    elif mode == 3: line[i] = (line[i] + (a + b) // 2) & 255
                    elif mode == 4:
                        p = a + b - c
                        pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                        line[i] = (line[i] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
                rows.append(line)
                prev = line
            return width, height, size, rows

        width, height, size, rows = read(sys.argv[1])
        for colour in sys.argv[2:]:
            target = bytes.fromhex(colour.lstrip("#"))
            count, columns = 0, set()
            for row in rows:
                for x in range(width):
                    if row[x * size:x * size + 3] == target:
                        count += 1
                        columns.add(x)
            runs = sum(1 for x in columns if x - 1 not in columns)
            print(colour, count, runs)
        """#
}
