import { ApiProperty } from '@nestjs/swagger';
import { IsEmail, IsString, MaxLength, MinLength } from 'class-validator';

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

export class RefreshDto {
  @ApiProperty() @IsString() @MaxLength(200) refreshToken: string;
}

export class UserDto {
  @ApiProperty({ format: 'uuid' }) id: string;
  @ApiProperty() email: string;
}

export class AuthTokensDto {
  @ApiProperty({ type: UserDto }) user: UserDto;
  @ApiProperty({ description: 'JWT, valid 15 minutes' }) accessToken: string;
  @ApiProperty({ description: 'Use once at /auth/refresh; rotated on each use' }) refreshToken: string;
}
