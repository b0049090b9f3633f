import { Inject, Injectable } from '@nestjs/common';
import { DataSource, Repository } from 'typeorm';
import { RefreshTokenEntity } from '../entities/refresh-token.entity';
import { UserEntity } from '../entities/user.entity';

const UNIQUE_VIOLATION = '23505';

/** Accounts, found by their id or by their (lower-cased) email. */
@Injectable()
export class UserRepository {
  private readonly users: Repository<UserEntity>;

  constructor(@Inject(DataSource) dataSource: DataSource) {
    this.users = dataSource.getRepository(UserEntity);
  }

  find(userId: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ id: userId });
  }

  findByEmail(email: string): Promise<UserEntity | null> {
    return this.users.findOneBy({ email });
  }

  emailTaken(email: string): Promise<boolean> {
    return this.users.existsBy({ email });
  }

  /** The new user, or null when the email is taken (the unique index settles a race the check cannot). */
  async create(email: string, passwordHash: string): Promise<UserEntity | null> {
    return this.users.save(this.users.create({ email, passwordHash })).catch((err: { code?: string }) => {
      if (err.code === UNIQUE_VIOLATION) return null;
      throw err;
    });
  }

  /** A new password and no refresh token left, in one transaction: whoever knew the old one keeps no login. */
  async setPasswordEndingLogins(userId: string, passwordHash: string): Promise<void> {
    await this.users.manager.transaction(async (tx) => {
      await tx.update(UserEntity, { id: userId }, { passwordHash });
      await tx.delete(RefreshTokenEntity, { userId });
    });
  }
}
