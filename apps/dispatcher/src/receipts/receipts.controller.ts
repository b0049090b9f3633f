import { Controller } from '@nestjs/common';
import { Payload } from '@nestjs/microservices';
import { RpcPayload, RpcReply } from '@app/contracts';
import { Rpc } from '@app/transport';
import { ReceiptsService } from './receipts.service';

@Controller()
export class ReceiptsController {
  constructor(private readonly receipts: ReceiptsService) {}

  @Rpc('receipts.twilio')
  twilio(@Payload() p: RpcPayload<'receipts.twilio'>): Promise<RpcReply<'receipts.twilio'>> {
    return this.receipts.twilio(p);
  }

  @Rpc('receipts.whatsapp')
  whatsapp(@Payload() p: RpcPayload<'receipts.whatsapp'>): Promise<RpcReply<'receipts.whatsapp'>> {
    return this.receipts.whatsapp(p);
  }

  @Rpc('receipts.whatsappChallenge')
  whatsappChallenge(@Payload() p: RpcPayload<'receipts.whatsappChallenge'>): Promise<RpcReply<'receipts.whatsappChallenge'>> {
    return this.receipts.whatsappChallenge(p);
  }
}
