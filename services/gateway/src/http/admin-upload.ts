// Multipart upload routes: the caller is authenticated first (AdminGuard), then multer reads the
// body within limits. Multer's defaults allow unlimited fields of 1 MB each and unlimited parts,
// so a body of junk fields was buffered in full before anything checked it.
import { applyDecorators, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { AdminGuard } from '../auth/admin.guard';

export interface UploadLimits {
  /** The one file, in bytes. */
  fileBytes: number;
  /** Text fields besides the file, and the largest value of one, in bytes. */
  fields: number;
  fieldBytes: number;
}

/** An admin-only route taking one file in form field `field` and a few small text fields. */
export function AdminUpload(field: string, limits: UploadLimits): MethodDecorator {
  return applyDecorators(
    UseGuards(AdminGuard),
    UseInterceptors(
      FileInterceptor(field, {
        limits: { fileSize: limits.fileBytes, files: 1, fields: limits.fields, fieldSize: limits.fieldBytes, parts: limits.fields + 1, fieldNameSize: 100, headerPairs: 20 },
      }),
    ),
  );
}
