/** llama.cpp token types, as stored in `tokenizer.ggml.token_type`. */
export const TokenType = { normal: 1, unknown: 2, control: 3, byte: 6 } as const;

/** A SentencePiece-style vocabulary, in the three parallel arrays GGUF stores. */
export interface TinyVocab {
  readonly tokens: string[];
  readonly scores: number[];
  readonly types: number[];
  readonly unknownId: number;
  readonly bosId: number;
  readonly eosId: number;
}

/** SentencePiece's word-boundary marker, which stands for a space. */
export const SPACE = '\u2581';

/** The ChatML control tokens the chat template uses, appended after the word pieces. */
export const CHATML_TOKENS = ['<|im_start|>', '<|im_end|>'] as const;

const WORDS = (
  'hello world the a an and or but of to in on at for with from by is are was were be been ' +
  'it this that these those i you he she we they me my your his her our their what who how ' +
  'why when where which yes no not do does did have has had can could will would should may ' +
  'say said tell know think see look come go get make take give find use work call try ask ' +
  'need feel good new first last long great little own other old right big high small large ' +
  'next early young few public bad same able time year day way man woman child people thing ' +
  'life hand part place case week point fact model token text word tiny test chat user ' +
  'assistant system answer question please thanks hi npu gpu cpu run fast slow one two three'
).split(' ');

const SINGLES = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,!?;:\'"-()';

/**
 * The word pieces: every prefix of `▁word` (SentencePiece merges pairs only into pieces that
 * exist, so each longer piece needs its shorter prefix), plus single characters.
 */
function wordPieces(): string[] {
  const pieces = new Set<string>([SPACE]);
  for (const word of WORDS) {
    const marked = SPACE + word;
    for (let end = 2; end <= marked.length; end++) pieces.add(marked.slice(0, end));
  }
  for (const char of SINGLES) pieces.add(char);
  return [...pieces];
}

/**
 * Builds the vocabulary: `<unk>`, `<s>`, `</s>`, the 256 byte tokens `<0x00>`…`<0xFF>` (so
 * any text tokenizes by byte fallback), the word pieces, then the ChatML control tokens.
 * Word pieces score `-index`, so earlier (and shorter) pieces win SentencePiece's merges.
 */
export function buildTinyVocab(): TinyVocab {
  const tokens: string[] = ['<unk>', '<s>', '</s>'];
  const types: number[] = [TokenType.unknown, TokenType.control, TokenType.control];
  for (let byte = 0; byte < 256; byte++) {
    tokens.push(`<0x${byte.toString(16).toUpperCase().padStart(2, '0')}>`);
    types.push(TokenType.byte);
  }
  const scores: number[] = tokens.map(() => 0);
  wordPieces().forEach((piece, index) => {
    tokens.push(piece);
    types.push(TokenType.normal);
    scores.push(-index);
  });
  for (const control of CHATML_TOKENS) {
    tokens.push(control);
    types.push(TokenType.control);
    scores.push(0);
  }
  return { tokens, scores, types, unknownId: 0, bosId: 1, eosId: 2 };
}
