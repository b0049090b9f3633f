import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Repository } from 'typeorm';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';

export type NewRefreshToken = Pick<RefreshTokenEntity, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt'>;

/** Refresh tokens, stored as SHA-256 hashes; a family is one login. */
@Injectable()
export class RefreshTokenRepository {
  private readonly tokens: Repository<RefreshTokenEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.tokens = dataSource.getRepository(RefreshTokenEntity);
  }

  findByHash(tokenHash: string): Promise<RefreshTokenEntity | null> {
    return this.tokens.findOneBy({ tokenHash });
  }

  async insert(token: NewRefreshToken): Promise<void> {
    await this.tokens.insert({ ...token, usedAt: null });
  }

  /** Marks the token used; false when it already was (so it is being presented a second time). */
  async claim(tokenId: string): Promise<boolean> {
    return ((await this.tokens.update({ id: tokenId, usedAt: IsNull() }, { usedAt: new Date() })).affected ?? 0) > 0;
  }

  /** Ends a login: every token of its family stops working. */
  async deleteFamily(familyId: string): Promise<void> {
    await this.tokens.delete({ familyId });
  }
}
