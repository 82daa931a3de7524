import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { generateSigningKey, publicJwk, type PublicKeySet, type SigningKeyFile, type SigningKeySource } from '../tokens/signing-keys.ts';

/**
 * Local mode keeps its signing key under the data dir, generated on first use, so tokens survive
 * restarts. The file is written owner-only.
 */
export class FileSigningKeys implements SigningKeySource {
  private file: Promise<SigningKeyFile> | undefined;

  constructor(private readonly path: string) {}

  async signingKey() {
    const [newest] = (await this.load()).keys;
    if (!newest) throw new Error(`No signing key in ${this.path}`);
    return { kid: newest.kid, privateJwk: newest.privateJwk };
  }

  async publicKeys(): Promise<PublicKeySet> {
    return { keys: (await this.load()).keys.map(publicJwk) };
  }

  private load(): Promise<SigningKeyFile> {
    this.file ??= this.readOrCreate().catch((error: unknown) => {
      this.file = undefined;
      throw error;
    });
    return this.file;
  }

  private async readOrCreate(): Promise<SigningKeyFile> {
    try {
      return JSON.parse(await readFile(this.path, 'utf8')) as SigningKeyFile;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const file: SigningKeyFile = { keys: [await generateSigningKey()] };
    await mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    // 'wx' so two processes starting together cannot both write; the loser reads the winner's key.
    try {
      await writeFile(this.path, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
      return file;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      return JSON.parse(await readFile(this.path, 'utf8')) as SigningKeyFile;
    }
  }
}
