/**
 * Camera scanning for `<pay-scan camera>`, loaded on demand (its own chunk) the first time the
 * cashier turns the camera on. Reads the payer's code with the browser's own BarcodeDetector
 * (Shape Detection API: Chrome/Edge on Android, macOS and ChromeOS; not Firefox or Safari), so
 * no decoder ships with the widget. Wallets show the code as a Code 128 barcode and a QR code
 * of the same digits; either is read.
 */
interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: HTMLVideoElement): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options?: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats?(): Promise<string[]>;
}

const WANTED = ['code_128', 'qr_code'];
const FRAME_GAP_MS = 150;

export interface CameraSession {
  /** stops the stream (the camera light goes off) and the detection loop */
  stop(): void;
}

/**
 * Shows the rear camera in `video` and calls `onCode` with the first payer-code-like value it
 * reads (digits only, 16–24 of them), then stops by itself. Rejects when there is no
 * BarcodeDetector, no camera, or the permission is refused.
 */
export async function startCamera(video: HTMLVideoElement, onCode: (code: string) => void): Promise<CameraSession> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (!Detector || !navigator.mediaDevices?.getUserMedia) throw new Error('BarcodeDetector or getUserMedia is not available');
  const supported = (await Detector.getSupportedFormats?.()) ?? WANTED;
  const formats = WANTED.filter((f) => supported.includes(f));
  if (!formats.length) throw new Error('this BarcodeDetector reads neither Code 128 nor QR codes');
  const detector = new Detector({ formats });
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment' }, audio: false });

  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const stop = () => {
    if (stopped) return;
    stopped = true;
    clearTimeout(timer);
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };
  video.muted = true;
  video.playsInline = true;
  video.srcObject = stream;
  try {
    await video.play();
  } catch (err) {
    stop();
    throw err;
  }

  const look = async () => {
    if (stopped) return;
    try {
      for (const { rawValue } of await detector.detect(video)) {
        if (/^\d{16,24}$/.test(rawValue)) {
          stop();
          onCode(rawValue);
          return;
        }
      }
    } catch {
      /* a frame that could not be read (not ready yet): try the next one */
    }
    if (!stopped) timer = setTimeout(look, FRAME_GAP_MS);
  };
  void look();
  return { stop };
}
