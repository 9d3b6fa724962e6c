/**
 * The mlspec CST parser (Chevrotain). One shared instance: building a Chevrotain parser runs
 * a grammar analysis that is far too slow to repeat per file. Recovery is on, so one file can
 * report several syntax errors and still yield every item that parsed.
 *
 *   file        = (item ','? | stray)* EOF
 *   item        = Ident ( ':' value | block | '=' Ident args? inputs? | args inputs? | inputs )?
 *   block       = '{' (item ','? | stray)* '}'
 *   stray       = tokens that cannot start an item, skipped and reported (not part of the language)
 *   inputs      = '<-' Ident (',' Ident)*        (a ',' that starts a new item ends the list)
 *   value       = Number | String | list | Ident args?
 *   list        = '[' (value (',' value)* ','?)? ']'
 *   args        = '(' (arg (',' arg)* ','?)? ')'
 *   arg         = Ident ':' value | value
 */
import type { IParserErrorMessageProvider, IToken, TokenType } from 'chevrotain';
import { CstParser, EOF } from './chevrotain.js';
import {
  allTokens,
  Arrow,
  Colon,
  Comma,
  Equals,
  Identifier,
  LBrace,
  LBracket,
  LParen,
  NumberLiteral,
  RBrace,
  RBracket,
  RParen,
  StringLiteral,
} from './tokens.js';

/** Tokens that, after `, name`, show that `name` starts a new item rather than another input. */
const itemContinuations: readonly TokenType[] = [Colon, Equals, LParen, LBrace, Arrow];

/**
 * Chevrotain calls this while recovering; it returns a machine-readable description that
 * src/syntax/syntax-errors.ts turns into a sentence (it can see the tokens around the error).
 */
export const structuredErrorMessages: IParserErrorMessageProvider = {
  buildMismatchTokenMessage: ({ expected }) => JSON.stringify({ expected: [expected.name] }),
  buildNotAllInputParsedMessage: () => JSON.stringify({ expected: [EOF.name] }),
  buildNoViableAltMessage: ({ expectedPathsPerAlt }) =>
    JSON.stringify({ expected: expectedPathsPerAlt.flat().map((path) => path[0]?.name ?? EOF.name) }),
  buildEarlyExitMessage: ({ expectedIterationPaths }) =>
    JSON.stringify({ expected: expectedIterationPaths.map((path) => path[0]?.name ?? EOF.name) }),
};

/** Where a run of stray tokens was found, and what would have been valid there instead. */
export interface StrayTokens {
  first: IToken;
  /** `EOF` at the top level, `RBrace` inside a block. */
  expected: TokenType;
}

/** Tokens that cannot start an item (inside a block, `}` ends it). */
const strayTokenTypes: readonly TokenType[] = [
  NumberLiteral,
  StringLiteral,
  Colon,
  Comma,
  Equals,
  Arrow,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
];

export class MlspecParser extends CstParser {
  /** Stray tokens met by the item loops since the last `reset()`; reported as syntax errors. */
  public strayTokens: StrayTokens[] = [];

  constructor() {
    super(allTokens, { recoveryEnabled: true, maxLookahead: 3, errorMessageProvider: structuredErrorMessages });
    this.performSelfAnalysis();
    // Chevrotain's in-repetition recovery re-enters the loop recursively once per error, which
    // overflows the stack on inputs with thousands of errors. The item loops skip stray tokens
    // themselves (see `stray`); other loops fall back to in-rule and re-sync recovery.
    (this as unknown as { attemptInRepetitionRecovery: () => void }).attemptInRepetitionRecovery = () => {};
  }

  public override reset(): void {
    super.reset();
    this.strayTokens = [];
  }

  public file = this.RULE('file', () => {
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.SUBRULE(this.item);
            this.OPTION(() => this.CONSUME(Comma));
          },
        },
        { ALT: () => this.SUBRULE(this.strayAtTop) },
      ]);
    });
  });

  /** At the top level a `}` has no block to close, so it is stray too. */
  public strayAtTop = this.RULE('strayAtTop', () => this.consumeStray(EOF, [...strayTokenTypes, RBrace]));
  public strayInBlock = this.RULE('strayInBlock', () => this.consumeStray(RBrace, strayTokenTypes));


  public item = this.RULE('item', () => {
    this.CONSUME(Identifier, { LABEL: 'head' });
    this.OPTION(() =>
      this.OR([
        { ALT: () => this.SUBRULE(this.propertyRest) },
        { ALT: () => this.SUBRULE(this.block) },
        { ALT: () => this.SUBRULE(this.namedStatementRest) },
        { ALT: () => this.SUBRULE(this.callStatementRest) },
        { ALT: () => this.SUBRULE(this.inputs) },
      ]),
    );
  });

  public propertyRest = this.RULE('propertyRest', () => {
    this.CONSUME(Colon);
    this.SUBRULE(this.value);
  });

  public block = this.RULE('block', () => {
    this.CONSUME(LBrace);
    this.MANY(() => {
      this.OR([
        {
          ALT: () => {
            this.SUBRULE(this.item);
            this.OPTION(() => this.CONSUME(Comma));
          },
        },
        { ALT: () => this.SUBRULE(this.strayInBlock) },
      ]);
    });
    this.CONSUME(RBrace);
  });

  /** `= callee(args)? (<- inputs)?` after the node name. */
  public namedStatementRest = this.RULE('namedStatementRest', () => {
    this.CONSUME(Equals);
    this.CONSUME(Identifier, { LABEL: 'callee' });
    this.OPTION(() => this.SUBRULE(this.args));
    this.OPTION2(() => this.SUBRULE(this.inputs));
  });

  /** `(args) (<- inputs)?` after the callee of an unnamed layer. */
  public callStatementRest = this.RULE('callStatementRest', () => {
    this.SUBRULE(this.args);
    this.OPTION(() => this.SUBRULE(this.inputs));
  });

  public inputs = this.RULE('inputs', () => {
    this.CONSUME(Arrow);
    this.CONSUME(Identifier, { LABEL: 'ref' });
    this.MANY({
      GATE: () => this.startsAnotherInput(),
      DEF: () => {
        this.CONSUME(Comma);
        this.CONSUME2(Identifier, { LABEL: 'ref' });
      },
    });
  });

  public value = this.RULE('value', () => {
    this.OR([
      { ALT: () => this.CONSUME(NumberLiteral) },
      { ALT: () => this.CONSUME(StringLiteral) },
      { ALT: () => this.SUBRULE(this.list) },
      { ALT: () => this.SUBRULE(this.callOrIdent) },
    ]);
  });

  public callOrIdent = this.RULE('callOrIdent', () => {
    this.CONSUME(Identifier);
    this.OPTION(() => this.SUBRULE(this.args));
  });

  public list = this.RULE('list', () => {
    this.CONSUME(LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.value);
      this.MANY({
        GATE: () => this.LA(2).tokenType !== RBracket,
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.value);
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RBracket);
  });

  public args = this.RULE('args', () => {
    this.CONSUME(LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY({
        GATE: () => this.LA(2).tokenType !== RParen,
        DEF: () => {
          this.CONSUME(Comma);
          this.SUBRULE2(this.arg);
        },
      });
      this.OPTION2(() => this.CONSUME2(Comma));
    });
    this.CONSUME(RParen);
  });

  public arg = this.RULE('arg', () => {
    this.OR([
      {
        GATE: () => this.LA(2).tokenType === Colon,
        ALT: () => {
          this.CONSUME(Identifier, { LABEL: 'name' });
          this.CONSUME(Colon);
          this.SUBRULE(this.value);
        },
      },
      { ALT: () => this.SUBRULE2(this.value) },
    ]);
  });

  /** A run of tokens that cannot start an item, reported once. */
  private consumeStray(expected: TokenType, types: readonly TokenType[]): void {
    let first: IToken | undefined;
    this.AT_LEAST_ONE(() => {
      const token = this.OR(types.map((type) => ({ ALT: () => this.CONSUME(type) })));
      first ??= token;
    });
    this.ACTION(() => {
      if (first) this.strayTokens.push({ first, expected });
    });
  }

  /** `, name` continues the inputs unless `name` is followed by what starts an item. */
  private startsAnotherInput(): boolean {
    if (this.LA(1).tokenType !== Comma || this.LA(2).tokenType !== Identifier) return false;
    return !itemContinuations.includes(this.LA(3).tokenType);
  }
}

/** The shared parser. Set `input`, call `file()`, read `errors`; never use it re-entrantly. */
export const mlspecParser = new MlspecParser();

export type { IToken };
