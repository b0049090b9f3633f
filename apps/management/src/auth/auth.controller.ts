import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { AuthService } from './auth.service';

@Controller()
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Rpc('auth.signup')
  signup(@Payload() p: RpcPayload<'auth.signup'>): Promise<RpcReply<'auth.signup'>> {
    return this.auth.signup(p.email, p.password);
  }

  @Rpc('auth.login')
  login(@Payload() p: RpcPayload<'auth.login'>): Promise<RpcReply<'auth.login'>> {
    return this.auth.login(p.email, p.password);
  }

  @Rpc('auth.refresh')
  refresh(@Payload() p: RpcPayload<'auth.refresh'>): Promise<RpcReply<'auth.refresh'>> {
    return this.auth.refresh(p.refreshToken);
  }

  @Rpc('auth.logout')
  logout(@Payload() p: RpcPayload<'auth.logout'>): Promise<RpcReply<'auth.logout'>> {
    return this.auth.logout(p.refreshToken);
  }

  @Rpc('auth.changePassword')
  changePassword(@Payload() p: RpcPayload<'auth.changePassword'>): Promise<RpcReply<'auth.changePassword'>> {
    return this.auth.changePassword(p.userId, p.currentPassword, p.newPassword);
  }

  @Rpc('auth.me')
  me(@Payload() p: RpcPayload<'auth.me'>): Promise<RpcReply<'auth.me'>> {
    return this.auth.me(p.userId);
  }
}
