// Signing in and out for agents and admins: POST /v1/auth/login, /v1/auth/refresh, /v1/auth/logout
// and GET /v1/auth/me. Tokens are never logged.
import { Body, Controller, Get, Headers, HttpCode, Ip, Post, UseFilters } from '@nestjs/common';
import { GatewayError } from '../gateway.errors';
import { HttpErrorsFilter } from '../http/http-errors.filter';
import { AccessService, type RequestHeaders } from './access.service';
import { publicUser, SignInService } from './sign-in.service';
import { UserRepository } from './user.repository';

@Controller('v1/auth')
@UseFilters(HttpErrorsFilter)
export class AuthController {
  constructor(
    private readonly signIn: SignInService,
    private readonly access: AccessService,
    private readonly users: UserRepository,
  ) {}

  @Post('login')
  @HttpCode(200)
  login(@Body() body: Record<string, unknown>, @Ip() client: string | undefined) {
    // Express's req.ip: the peer's address, or the client a trusted proxy names (TRUSTED_PROXIES).
    return this.signIn.signIn(body ?? {}, client ?? 'unknown');
  }

  @Post('refresh')
  @HttpCode(200)
  refresh(@Body() body: Record<string, unknown>) {
    return this.signIn.refresh(body ?? {});
  }

  @Post('logout')
  @HttpCode(204)
  async logout(@Headers() headers: RequestHeaders): Promise<void> {
    await this.signIn.signOut(await this.access.session(headers));
  }

  @Get('me')
  async me(@Headers() headers: RequestHeaders) {
    const token = await this.access.session(headers);
    const user = await this.users.find(token.tenantId, token.userId);
    if (!user || user.disabledAt !== null) throw new GatewayError('UNAUTHENTICATED', 'account disabled');
    return { tenantId: token.tenantId, ...publicUser(user) };
  }
}
