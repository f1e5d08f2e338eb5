/**
 * The content of an uploaded text file as the thin reader outside the domain hands it over: the
 * whole text, its bytes, or a stream of either (a file read stream is an AsyncIterable of
 * Buffers). The domain never opens files itself.
 */
export type TextSource =
  | string
  | Uint8Array
  | ArrayBuffer
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

export interface NamedSource {
  /** The file's name as the user knows it; every problem names it. */
  name: string;
  content: TextSource;
}

/** The file cannot be read as text at all (UTF-16, or a binary file such as a workbook). */
export class UnreadableTextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UnreadableTextError';
  }
}

function isAsyncIterable(value: unknown): value is AsyncIterable<string | Uint8Array> {
  return (
    typeof (value as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function'
  );
}

type Decoder = InstanceType<typeof TextDecoder>;

const SLICE = 1 << 16;

function legacyDecoder(): Decoder {
  try {
    return new TextDecoder('windows-1252');
  } catch {
    return new TextDecoder('latin1');
  }
}

/**
 * The text of a source in chunks, decoded as UTF-8 with any byte-order mark removed. A file that
 * is not valid UTF-8 is read from there on as Windows-1252, the encoding Excel gives a "CSV"
 * file, and `onLegacyEncoding` is told once (names with accents would otherwise be garbled).
 */
export async function* textChunks(
  source: TextSource,
  onLegacyEncoding: () => void = () => undefined,
): AsyncGenerator<string> {
  // In an object, as the closures below change them.
  const state = { first: true, sawBytes: false };
  // In an object, as the decoding closure switches from one to the other.
  const decoders: { utf8: Decoder | null; legacy: Decoder | null } = {
    utf8: new TextDecoder('utf-8', { fatal: true }),
    legacy: null,
  };

  const decode = (bytes: Uint8Array, last: boolean): string => {
    if (state.first && bytes.length >= 2) {
      const [a, b] = [bytes[0], bytes[1]];
      if ((a === 0xff && b === 0xfe) || (a === 0xfe && b === 0xff))
        throw new UnreadableTextError(
          'The file is saved as UTF-16 (Unicode) text: save it again as "CSV UTF-8" and upload that.',
        );
      if (a === 0x50 && b === 0x4b)
        throw new UnreadableTextError(
          'The file is a workbook (zip), not text: save the sheet as "CSV UTF-8" and upload that.',
        );
    }
    state.sawBytes = true;
    if (decoders.utf8 !== null) {
      try {
        return decoders.utf8.decode(bytes, { stream: !last });
      } catch {
        decoders.utf8 = null;
        onLegacyEncoding();
      }
    }
    decoders.legacy ??= legacyDecoder();
    return decoders.legacy.decode(bytes, { stream: !last });
  };

  const emit = (text: string): string => {
    if (state.first) {
      state.first = false;
      if (text.charCodeAt(0) === 0xfeff) return text.slice(1);
    }
    return text;
  };

  if (source instanceof ArrayBuffer) source = new Uint8Array(source);
  if (typeof source === 'string' || source instanceof Uint8Array) {
    // Whole text in slices, so that readers take a large file a part at a time as from a stream.
    const text = emit(typeof source === 'string' ? source : decode(source, true));
    for (let i = 0; i < text.length; i += SLICE) yield text.slice(i, i + SLICE);
    return;
  }
  const chunks = isAsyncIterable(source) ? source : (source as Iterable<string | Uint8Array>);
  for await (const chunk of chunks) {
    const text = typeof chunk === 'string' ? chunk : decode(chunk, false);
    if (state.first && text === '') continue;
    yield emit(text);
  }
  if (state.sawBytes) {
    const rest = decode(new Uint8Array(0), true);
    if (rest !== '') yield emit(rest);
  }
}
