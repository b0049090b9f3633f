import { Body, Controller, Get, HttpCode, Post, Req, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiHeader, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { ErrorCode } from '@app/contracts';
import { RpcClient } from '@app/transport';
import { AttemptLimits } from './attempt-limits';
import { AuthAttemptsGuard } from './auth-attempts.guard';
import { CurrentUserId } from './auth-context';
import { AuthTokensDto, ChangePasswordDto, CredentialsDto, LoginDto, LogoutDto, RefreshDto, UserDto } from './auth.dto';
import { JwtGuard } from './jwt.guard';
import { clearSessionCookie, deliverTokens, refreshTokenOf } from './session-cookie';

const SESSION_HEADER_DOC = {
  name: 'X-Session',
  required: false,
  description: '`cookie`: the refresh token travels in an HttpOnly cookie (Path=/api/v1/auth) instead of the body',
  schema: { type: 'string', enum: ['cookie'] },
};

@ApiTags('auth')
@Controller('auth')
@UseGuards(AuthAttemptsGuard)
@ApiResponse({ status: 429, description: 'too-many-attempts: 20 requests a minute per client IP to /auth/*' })
export class AuthController {
  constructor(
    private readonly rpc: RpcClient,
    private readonly attempts: AttemptLimits,
  ) {}

  @Post('signup')
  @ApiOperation({ operationId: 'signup', summary: 'Create an account' })
  @ApiHeader(SESSION_HEADER_DOC)
  @ApiResponse({ status: 201, type: AuthTokensDto })
  async signup(@Body() body: CredentialsDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthTokensDto> {
    return deliverTokens(await this.rpc.send('auth.signup', body), req, res);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Log in (5 failed attempts per email in 15 minutes, then 429)' })
  @ApiHeader(SESSION_HEADER_DOC)
  @ApiResponse({ status: 200, type: AuthTokensDto })
  async login(@Body() body: LoginDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthTokensDto> {
    const tokens = await this.attempts.passwordAttempt(`email:${body.email}`, res, ErrorCode.Unauthorized, () =>
      this.rpc.send('auth.login', body),
    );
    return deliverTokens(tokens, req, res);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ operationId: 'refreshTokens', summary: 'Trade a refresh token for a new pair' })
  @ApiHeader(SESSION_HEADER_DOC)
  @ApiResponse({ status: 200, type: AuthTokensDto })
  async refresh(@Body() body: RefreshDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<AuthTokensDto> {
    const refreshToken = refreshTokenOf(req, body.refreshToken);
    return deliverTokens(await this.rpc.send('auth.refresh', { refreshToken }), req, res);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ operationId: 'logout', summary: 'End the login a refresh token belongs to (its whole rotation family)' })
  @ApiHeader(SESSION_HEADER_DOC)
  @ApiResponse({ status: 204, description: 'Logged out; an unknown or expired token answers the same' })
  async logout(@Body() body: LogoutDto, @Req() req: Request, @Res({ passthrough: true }) res: Response): Promise<void> {
    const refreshToken = refreshTokenOf(req, body.refreshToken);
    await this.rpc.send('auth.logout', { refreshToken });
    clearSessionCookie(req, res);
  }

  @Post('password')
  @HttpCode(204)
  @UseGuards(JwtGuard)
  @ApiBearerAuth('jwt')
  @ApiOperation({ operationId: 'changePassword', summary: 'Change the password; every refresh token of the user stops working' })
  @ApiResponse({ status: 204, description: 'Changed; log in again on other devices' })
  @ApiResponse({ status: 422, description: 'currentPassword is incorrect, or newPassword is too short' })
  async changePassword(
    @CurrentUserId() userId: string,
    @Body() body: ChangePasswordDto,
    @Res({ passthrough: true }) res: Response,
  ): Promise<void> {
    await this.attempts.passwordAttempt(`user:${userId}`, res, ErrorCode.ValidationFailed, () =>
      this.rpc.send('auth.changePassword', { userId, currentPassword: body.currentPassword, newPassword: body.newPassword }),
    );
  }

  @Get('me')
  @UseGuards(JwtGuard)
  @ApiBearerAuth('jwt')
  @ApiOperation({ operationId: 'getMe', summary: 'The logged-in user' })
  @ApiResponse({ status: 200, type: UserDto })
  me(@CurrentUserId() userId: string): Promise<UserDto> {
    return this.rpc.send('auth.me', { userId });
  }
}
