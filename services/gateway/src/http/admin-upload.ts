// Multipart upload routes: the caller is authenticated first (AdminGuard), then multer reads the
// body within limits. Multer's defaults allow unlimited fields of 1 MB each and unlimited parts,
// so a body of junk fields was buffered in full before anything checked it.
import {
  applyDecorators,
  Injectable,
  UseGuards,
  UseInterceptors,
  type CallHandler,
  type ExecutionContext,
  type NestInterceptor,
} from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import type { IncomingMessage } from 'node:http';
import type { Observable } from 'rxjs';
import { AdminGuard } from '../auth/admin.guard';
import { GatewayError } from '../gateway.errors';

export interface UploadLimits {
  /** The one file, in bytes. */
  fileBytes: number;
  /** Text fields besides the file, and the largest value of one, in bytes. */
  fields: number;
  fieldBytes: number;
}

/**
 * Busboy throws a plain error on a multipart type other than form-data (e.g. multipart/mixed),
 * which would surface as a 500: such a body is refused here, before multer reads any of it.
 */
@Injectable()
class FormDataOnly implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const type = context.switchToHttp().getRequest<IncomingMessage>().headers['content-type'] ?? '';
    if (/^\s*multipart\//i.test(type) && !/^\s*multipart\/form-data\s*(;|$)/i.test(type)) {
      throw new GatewayError(
        'INVALID_ARGUMENT',
        `content-type: expected multipart/form-data with the file in its own field, got "${type.split(';')[0].slice(0, 60)}"`,
      );
    }
    return next.handle();
  }
}

/** An admin-only route taking one file in form field `field` and a few small text fields. */
export function AdminUpload(field: string, limits: UploadLimits): MethodDecorator {
  return applyDecorators(
    UseGuards(AdminGuard),
    UseInterceptors(
      FormDataOnly,
      FileInterceptor(field, {
        limits: {
          fileSize: limits.fileBytes,
          files: 1,
          fields: limits.fields,
          fieldSize: limits.fieldBytes,
          parts: limits.fields + 1,
          fieldNameSize: 100,
          headerPairs: 20,
        },
      }),
    ),
  );
}
