// The committed copies of the contracts: docs/openapi.json and docs/asyncapi.json as `make contracts` writes
// them, so the drift test compares the very text that command would write.
import { asyncApiDocument } from '../contracts/asyncapi.js';
import { openApiDocument } from './openapi.js';

/** One generated document: its path from the repository root and its text. */
export interface ContractFile {
  path: string;
  text: string;
}

const asText = (document: unknown): string => `${JSON.stringify(document, null, 2)}\n`;

/** The files `make contracts` writes, with the text it writes. */
export function contractFiles(): ContractFile[] {
  return [
    { path: 'docs/openapi.json', text: asText(openApiDocument()) },
    { path: 'docs/asyncapi.json', text: asText(asyncApiDocument()) },
  ];
}
