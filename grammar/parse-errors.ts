// Syntax-error messages in the user's words. Chevrotain reports what it expected as token types;
// this turns (rule, expected token, previous token, found token) into one sentence such as
// "expected `=` after the feature name `power`, found `:`". A message may carry a fix after
// FIX_SEPARATOR; index.ts splits it into the diagnostic's `fix`.
import { EOF, tokenMatcher, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import * as T from "./tokens.js";

export const FIX_SEPARATOR = "\u0000fix:";
/** Marks a message whose span is the token after the one chevrotain blames. */
export const AT_NEXT_TOKEN = "\u0000next";

export interface ParseContext {
  kind?: "entity" | "source" | "view" | "service";
  name?: string;
}

/** What the parser knows while it reports an error: the declaration and the rule stack. */
export interface ParseState {
  context: ParseContext;
  ruleStack(): string[];
}

const DECLARATIONS = "a declaration (`entity`, `source`, `features` or `service`)";
const TYPES = "a type (`string`, `int`, `float`, `bool` or `timestamp`)";

/** "the name `foo`", "the number `12`", "`:`", "the end of the file". */
export function describeFound(tok: IToken | undefined): string {
  if (!tok || tok.tokenType === EOF) return "the end of the file";
  const image = tok.image.length > 30 ? `${tok.image.slice(0, 27)}...` : tok.image;
  if (tok.tokenType === T.Identifier) return `the name \`${image}\``;
  if (tok.tokenType === T.NumberLiteral || tok.tokenType === T.InvalidNumber) return `the number \`${image}\``;
  if (tok.tokenType === T.StringLiteral || tok.tokenType === T.UnterminatedString) return `the string \`${image}\``;
  return `\`${image}\``;
}

/** "a name", "a number", "`=`". */
export function describeExpected(type: TokenType): string {
  if (type === T.Name || type === T.ExprName || type === T.Identifier) return "a name";
  if (type === T.NumberLiteral) return "a number";
  if (type === T.StringLiteral) return "a string";
  if (type === EOF) return "the end of the file";
  return typeof type.LABEL === "string" ? type.LABEL : `\`${type.name}\``;
}

function isToken(tok: IToken | undefined, type: TokenType): tok is IToken {
  return !!tok && tok.tokenType !== undefined && !Number.isNaN(tok.startOffset) && tokenMatcher(tok, type);
}

function after(prev: IToken | undefined): string {
  return prev && prev.image && !Number.isNaN(prev.startOffset) ? ` after \`${prev.image}\`` : "";
}

function oneOf(items: string[]): string {
  const unique = [...new Set(items)];
  if (unique.length <= 1) return unique[0] ?? "something else";
  return `${unique.slice(0, -1).join(", ")} or ${unique[unique.length - 1]}`;
}

function kindWord(kind: ParseContext["kind"]): string {
  return kind === "view" ? "view" : (kind ?? "declaration");
}

function withFix(message: string, fix?: string): string {
  return fix ? `${message}${FIX_SEPARATOR}${fix}` : message;
}

/** What may stand in a declaration's body, for "expected ... or `}`" messages. */
export function bodyChoices(rule: string): string | undefined {
  switch (rule) {
    case "entityDecl":
      return "`key NAME: TYPE`, `description \"...\"` or `}`";
    case "sourceDecl":
      return "a column (`NAME: TYPE`), a setting (`table`, `timestamp`, `order`) or `}`";
    case "viewDecl":
      return "a feature (`NAME = EXPR`), a setting (`ttl`, `version`, `owner`, `description`, `tags`) or `}`";
    case "serviceDecl":
      return "a feature reference (`view.feature`, `view.*` or `view@2.feature`), `description` or `}`";
    case "normalization":
      return "a case (`\"VALUE\" => UNIT`), `else => UNIT` or `}`";
    default:
      return undefined;
  }
}

export function parseErrorMessages(state: ParseState): IParserErrorMessageProvider {
  const ctx = () => state.context;
  const declName = () => (ctx().name ? ` \`${ctx().name}\`` : "");
  const stackHas = (rule: string) => state.ruleStack().includes(rule);

  return {
    buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
      const found = describeFound(actual);
      const prev = previous;
      const c = ctx();
      if (expected === T.RCurly) {
        const choices = bodyChoices(ruleName);
        if (choices) {
          const what = ruleName === "normalization" ? "the `by` block" : `the ${kindWord(c.kind)}${declName()}`;
          return `expected ${choices} to close ${what}, found ${found}`;
        }
      }
      switch (ruleName) {
        case "entityHeader":
        case "sourceHeader":
        case "viewHeader":
        case "serviceHeader": {
          const kw = ruleName === "viewHeader" ? "features" : c.kind;
          if (expected === T.Name) {
            const what = isToken(prev, T.For) ? "the entity name" : isToken(prev, T.From) ? "the source name" : "a name";
            return `expected ${what} after \`${prev?.image ?? kw}\`, found ${found}`;
          }
          if (expected === T.For) return withFix(`expected \`for\` after the view name${declName()}, found ${found}`, "write `features NAME for ENTITY from SOURCE {`");
          if (expected === T.From) return withFix(`expected \`from\` after the entity name \`${prev?.image}\`, found ${found}`, "write `features NAME for ENTITY from SOURCE {`");
          if (expected === T.LCurly) {
            const what = ruleName === "viewHeader" ? `the source name \`${prev?.image}\`` : `the ${kindWord(c.kind)} name${declName()}`;
            return `expected \`{\` after ${what}, found ${found}`;
          }
          break;
        }
        case "keyColumn":
        case "columnDecl":
          if (expected === T.Colon) {
            return withFix(`expected \`:\` after the column name \`${prev?.image}\`, found ${found}`, `write \`${prev?.image}: TYPE\``);
          }
          break;
        case "keySetting":
          break;
        case "featureDecl":
          if (expected === T.Equals) {
            if (prev && isToken(prev, T.Name) && !state.ruleStack().includes("typeRef")) {
              const fix = isToken(actual, T.Identifier) ? `write \`${prev.image}: ${actual.image} ...\` to declare a type` : undefined;
              return withFix(`expected \`=\` after the feature name \`${prev.image}\`, found ${found}`, fix);
            }
            return `expected \`=\` after the type of the feature, found ${found}`;
          }
          break;
        case "typeRef":
          if (expected === T.Name) return `expected ${TYPES}${after(prev)}, found ${found}`;
          if (expected === T.RBracket) return `expected \`]\` to close the unit, found ${found}`;
          break;
        case "unitRef":
          if (expected === T.RBracket) return `expected \`]\` to close the unit, found ${found}`;
          break;
        case "unitAtom":
          if (expected === T.RParen) return `expected \`)\` in the unit, found ${found}`;
          break;
        case "signedNumber":
          if (stackHas("unitFactor")) return `expected an integer exponent${after(prev)}, found ${found}`;
          return `expected a number${after(prev)}, found ${found}`;
        case "ttlSetting":
          return withFix(`expected a duration after \`ttl\`, found ${found}`, "write it like `ttl 7d` or `ttl 24h`");
        case "versionSetting":
          return withFix(`expected a version number after \`version\`, found ${found}`, "write it like `version 2`");
        case "ownerSetting":
        case "descriptionSetting":
          return `expected a string after \`${prev?.image}\`, found ${found}`;
        case "tableSetting":
          return withFix(`expected the table name as a string after \`table\`, found ${found}`, 'write it like `table "parametric_tests"`');
        case "tagsSetting":
          if (expected === T.LBracket) return withFix(`expected \`[\` after \`tags\`, found ${found}`, 'write it like `tags ["yield", "sort"]`');
          if (expected === T.RBracket) return `expected \`,\` or \`]\` in the list of tags, found ${found}`;
          return `expected a string${after(prev)}, found ${found}`;
        case "timestampSetting":
          return `expected the event-time column after \`timestamp\`, found ${found}`;
        case "orderSetting":
          return `expected a column name${after(prev)}, found ${found}`;
        case "normalization":
          if (expected === T.Name) return withFix(`expected the column the units depend on after \`by\`, found ${found}`, 'write it like `temp: float by fab { "AZ" => degC }`');
          if (expected === T.LCurly) return `expected \`{\` after \`by ${prev?.image}\`, found ${found}`;
          break;
        case "normalizationCase":
        case "normalizationElse":
          if (expected === T.FatArrow) return `expected \`=>\`${after(prev)}, found ${found}`;
          break;
        case "featureRef":
          if (expected === T.Dot && isToken(prev, T.NumberLiteral)) {
            return `expected \`.\` and a feature name after the version \`@${prev.image}\`, found ${found}`;
          }
          if (expected === T.Dot) {
            return withFix(`expected \`.\` after the view name \`${prev?.image}\`, found ${found}`, `write \`${prev?.image}.FEATURE\` or \`${prev?.image}.*\``);
          }
          if (expected === T.NumberLiteral) return `expected a version number after \`@\`, found ${found}`;
          break;
        case "parenExpr":
          if (expected === T.RParen) return `expected \`)\` to close \`(\`, found ${found}`;
          break;
        case "callExpr":
          if (expected === T.RParen) return `expected \`,\` or \`)\` in the arguments of the call, found ${found}`;
          break;
        case "ifExpr":
          if (expected === T.Then) return `expected \`then\` after the condition of \`if\`, found ${found}`;
          if (expected === T.Else) return withFix(`expected \`else\` after the \`then\` branch, found ${found}`, "every `if` needs an `else`: `if C then A else B`");
          break;
        case "comparisonTail":
          if (expected === T.Null) return `expected \`null\` or \`not null\` after \`is\`, found ${found}`;
          break;
        case "window":
          if (expected === T.NumberLiteral) return withFix(`expected a number of events after \`last\`, found ${found}`, "write it like `over last 50`");
          break;
      }
      return `expected ${describeExpected(expected)}${after(prev)}, found ${found}`;
    },

    buildNotAllInputParsedMessage({ firstRedundant }) {
      const c = ctx();
      const found = describeFound(firstRedundant);
      if (isToken(firstRedundant, T.RCurly)) {
        return `unexpected \`}\` after the end of the ${kindWord(c.kind)}${declName()}: there is one \`}\` too many`;
      }
      return `expected ${DECLARATIONS} after the end of the ${kindWord(c.kind)}${declName()}, found ${found}`;
    },

    buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, ruleName }) {
      const tok = actual[0];
      const found = describeFound(tok);
      const itemMessage = badItemMessage(ruleName, actual[0], actual[1]);
      if (itemMessage) return itemMessage;
      switch (ruleName) {
        case "declaration":
          return `expected ${DECLARATIONS}, found ${found}`;
        case "entityDecl":
        case "sourceDecl":
        case "viewDecl":
        case "serviceDecl":
        case "normalization":
          return `expected ${bodyChoices(ruleName)}, found ${found}`;
        case "primary":
        case "notExpr":
        case "unary":
          return `expected an expression${after(previous)}, found ${found}`;
        case "window":
          return withFix(`expected a window after \`over\`, found ${found}`, "write `over last 50`, a duration like `over 7d`, or `over all`");
        case "unitRef":
          if (isToken(previous, T.NumberLiteral)) {
            if (stackHas("ttlSetting") || stackHas("window")) {
              return withFix(`expected a unit of time after \`${previous.image}\`, found ${found}`, `write it like \`${previous.image}d\` or \`${previous.image}h\``);
            }
          }
          return withFix(`expected a unit${after(previous)}, found ${found}`, "write a unit name like `V`, or a compound unit in brackets like `[MHz/W]`");
        case "unitAtom":
          return `expected a unit name${after(previous)}, found ${found}`;
        case "featureRef":
          return `expected a feature name or \`*\`${after(previous)}, found ${found}`;
        case "normalizationElse":
          return `expected a unit or \`null\` after \`=>\`, found ${found}`;
        case "scaleOrOffset":
          return `expected \`scale\` or \`offset\`, found ${found}`;
      }
      const firsts = expectedPathsPerAlt.flatMap((alt) => alt.map((path) => path[0])).filter((t): t is TokenType => !!t);
      return `expected ${oneOf(firsts.map(describeExpected))}${after(previous)}, found ${found}`;
    },

    buildEarlyExitMessage({ expectedIterationPaths, actual, previous, ruleName }) {
      const found = describeFound(actual[0]);
      if (ruleName === "keySetting") return withFix(`expected a key column after \`key\`, found ${found}`, "write it like `key device_id: string`");
      if (ruleName === "orderSetting") return `expected a column name after \`order\`, found ${found}`;
      const firsts = expectedPathsPerAlt(expectedIterationPaths);
      return `expected ${oneOf(firsts.map(describeExpected))}${after(previous)}, found ${found}`;
    },
  };
}

const SETTING_SHAPES: Record<string, string> = {
  ttl: "a duration after `ttl`, like `ttl 7d`",
  version: "a version number after `version`, like `version 2`",
  owner: 'a string after `owner`, like `owner "test-eng"`',
  description: 'a string after `description`, like `description "..."`',
  tags: 'a list of strings after `tags`, like `tags ["yield"]`',
  table: 'the table name as a string after `table`, like `table "parametric_tests"`',
  timestamp: "the event-time column after `timestamp`",
  order: "a column name after `order`",
  key: "a key column after `key`, like `key device_id: string`",
};

/**
 * A body line that matches no item, seen from its first two tokens: a setting word with a bad
 * argument, or a name without the `=`, `:` or `.` that must follow it.
 */
function badItemMessage(rule: string, first: IToken | undefined, second: IToken | undefined): string | undefined {
  const found = describeFound(second);
  const settings: Record<string, string[]> = {
    viewItem: ["ttl", "version", "owner", "description", "tags"],
    sourceItem: ["table", "timestamp", "order"],
    entityItem: ["key", "description"],
    serviceItem: ["description"],
  };
  if (!(rule in settings) || !first) return undefined;
  if (!isToken(first, T.Name)) {
    const what: Record<string, string> = {
      viewItem: "a feature (`NAME = EXPR`) or a setting (`ttl`, `version`, `owner`, `description`, `tags`)",
      sourceItem: "a column (`NAME: TYPE`) or a setting (`table`, `timestamp`, `order`)",
      entityItem: "`key NAME: TYPE` or `description \"...\"`",
      serviceItem: "a feature reference (`view.feature`, `view.*` or `view@2.feature`) or `description`",
    };
    return `expected ${what[rule]}, found ${describeFound(first)}`;
  }
  const word = first.image;
  const isSettingWord = settings[rule].includes(word) && first.tokenType !== T.Identifier;
  const followsName = (types: TokenType[]) => types.some((t) => isToken(second, t));
  switch (rule) {
    case "viewItem":
      if (isSettingWord && !followsName([T.Equals, T.Colon])) return `expected ${SETTING_SHAPES[word]}, found ${found}${AT_NEXT_TOKEN}`;
      return withFix(
        `expected \`=\` after the feature name \`${word}\`, found ${found}${AT_NEXT_TOKEN}`,
        isToken(second, T.Name) ? `write \`${word}: ${second.image} = EXPR\` to declare its type` : `write \`${word} = EXPR\``,
      );
    case "sourceItem":
      if (isSettingWord && !followsName([T.Colon])) return `expected ${SETTING_SHAPES[word]}, found ${found}${AT_NEXT_TOKEN}`;
      return withFix(`expected \`:\` after the column name \`${word}\`, found ${found}${AT_NEXT_TOKEN}`, `write \`${word}: TYPE\``);
    case "entityItem":
      if (isSettingWord) return `expected ${SETTING_SHAPES[word]}, found ${found}${AT_NEXT_TOKEN}`;
      return withFix(`expected \`key\` or \`description\`, found ${describeFound(first)}`, `write \`key ${word}: TYPE\``);
    case "serviceItem":
      if (isSettingWord && !followsName([T.Dot, T.At])) return `expected ${SETTING_SHAPES[word]}, found ${found}${AT_NEXT_TOKEN}`;
      return withFix(`expected \`.\` after the view name \`${word}\`, found ${found}${AT_NEXT_TOKEN}`, `write \`${word}.FEATURE\` or \`${word}.*\``);
  }
  return undefined;
}

function expectedPathsPerAlt(paths: TokenType[][]): TokenType[] {
  return paths.map((p) => p[0]).filter((t): t is TokenType => !!t);
}

