import { Module } from '@nestjs/common';
import { AdminModule } from '../../admin/admin.module';
import { SignInController } from './sign-in.controller';
import { WelcomeController } from './welcome.controller';
import { SecondStepController } from './second-step.controller';
import { SecurityController } from './security.controller';

/** A staff member's own pages: sign in (with its second step), sign out, two-step sign-in, and the welcome link that sets a password. */
@Module({
  imports: [AdminModule],
  controllers: [SignInController, SecondStepController, SecurityController, WelcomeController],
})
export class AccountPagesModule {}
