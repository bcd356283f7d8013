import { Module } from '@nestjs/common';
import { AdminModule } from '../../admin/admin.module';
import { SignInController } from './sign-in.controller';
import { WelcomeController } from './welcome.controller';

/** A staff member's own pages: sign in, sign out, and the welcome link that sets a password. */
@Module({
  imports: [AdminModule],
  controllers: [SignInController, WelcomeController],
})
export class AccountPagesModule {}
