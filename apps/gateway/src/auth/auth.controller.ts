import { Body, Controller, Get, HttpCode, Post, UseGuards, UseInterceptors } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { RpcClient } from '@app/transport';
import { CurrentUserId } from './auth-context';
import { AuthTokensDto, CredentialsDto, LoginDto, RefreshDto, UserDto } from './auth.dto';
import { JwtGuard } from './jwt.guard';
import { SessionCookieInterceptor } from './session-cookie.interceptor';

@ApiTags('auth')
@UseInterceptors(SessionCookieInterceptor)
@Controller('auth')
export class AuthController {
  constructor(private readonly rpc: RpcClient) {}

  @Post('signup')
  @ApiOperation({ operationId: 'signup', summary: 'Create an account' })
  @ApiResponse({ status: 201, type: AuthTokensDto })
  signup(@Body() body: CredentialsDto): Promise<AuthTokensDto> {
    return this.rpc.send('auth.signup', body);
  }

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ operationId: 'login', summary: 'Log in' })
  @ApiResponse({ status: 200, type: AuthTokensDto })
  login(@Body() body: LoginDto): Promise<AuthTokensDto> {
    return this.rpc.send('auth.login', body);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({ operationId: 'refreshTokens', summary: 'Trade a refresh token for a new pair' })
  @ApiResponse({ status: 200, type: AuthTokensDto })
  refresh(@Body() body: RefreshDto): Promise<AuthTokensDto> {
    return this.rpc.send('auth.refresh', body);
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
