import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsEmail, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class CredentialsDto {
  @ApiProperty({ example: 'ada@example.com', maxLength: 254 })
  @IsEmail({}, { message: 'email must be an email address' })
  @MaxLength(254)
  email: string;

  @ApiProperty({ minLength: 10, maxLength: 200, example: 'correct horse battery' })
  @IsString()
  @MinLength(10, { message: 'password must be at least 10 characters' })
  @MaxLength(200)
  password: string;
}

export class LoginDto {
  @ApiProperty({ example: 'ada@example.com' }) @IsString() @MaxLength(254) email: string;
  @ApiProperty() @IsString() @MaxLength(200) password: string;
}

const REFRESH_TOKEN_DOC = { description: 'Required unless X-Session: cookie carries it in the session cookie' };

export class RefreshDto {
  @ApiPropertyOptional(REFRESH_TOKEN_DOC) @IsOptional() @IsString() @MaxLength(200) refreshToken?: string;
}

export class LogoutDto {
  @ApiPropertyOptional(REFRESH_TOKEN_DOC) @IsOptional() @IsString() @MaxLength(200) refreshToken?: string;
}

export class ChangePasswordDto {
  @ApiProperty() @IsString() @MaxLength(200) currentPassword: string;

  @ApiProperty({ minLength: 10, maxLength: 200 })
  @IsString()
  @MinLength(10, { message: 'newPassword must be at least 10 characters' })
  @MaxLength(200)
  newPassword: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
}

export class AuthTokensDto {
  @ApiProperty({ type: UserDto }) user: UserDto;
  @ApiProperty({ description: 'JWT, valid 15 minutes' }) accessToken: string;
  @ApiPropertyOptional({
    description: 'Use once at /auth/refresh; rotated on each use; valid 30 days from the login at most. Absent with X-Session: cookie',
  })
  refreshToken?: string;
}
