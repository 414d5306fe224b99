import protobuf from 'protobufjs';

/**
 * The subset of Caffe's caffe.proto (BVLC, field numbers unchanged) needed to read weights:
 * NetParameter with both the V1 `layers` (field 2, used by the VGG and NIN models that
 * neural-style downloads) and the newer `layer` (field 100), and BlobProto. Fields we do not
 * read are skipped by the decoder, so the subset decodes full .caffemodel files.
 */
export const caffeRoot = protobuf.Root.fromJSON({
  nested: {
    caffe: {
      nested: {
        BlobShape: { fields: { dim: { rule: 'repeated', type: 'int64', id: 1 } } },
        BlobProto: {
          fields: {
            shape: { type: 'BlobShape', id: 7 },
            data: { rule: 'repeated', type: 'float', id: 5 },
            num: { type: 'int32', id: 1 },
            channels: { type: 'int32', id: 2 },
            height: { type: 'int32', id: 3 },
            width: { type: 'int32', id: 4 },
          },
        },
        LayerParameter: {
          fields: {
            name: { type: 'string', id: 1 },
            type: { type: 'string', id: 2 },
            bottom: { rule: 'repeated', type: 'string', id: 3 },
            top: { rule: 'repeated', type: 'string', id: 4 },
            blobs: { rule: 'repeated', type: 'BlobProto', id: 7 },
          },
        },
        V1LayerParameter: {
          fields: {
            bottom: { rule: 'repeated', type: 'string', id: 2 },
            top: { rule: 'repeated', type: 'string', id: 3 },
            name: { type: 'string', id: 4 },
            type: { type: 'int32', id: 5 },
            blobs: { rule: 'repeated', type: 'BlobProto', id: 6 },
          },
        },
        NetParameter: {
          fields: {
            name: { type: 'string', id: 1 },
            layers: { rule: 'repeated', type: 'V1LayerParameter', id: 2 },
            layer: { rule: 'repeated', type: 'LayerParameter', id: 100 },
          },
        },
      },
    },
  },
});

export const NetParameter = caffeRoot.lookupType('caffe.NetParameter');

/** V1LayerParameter.LayerType values we meet (caffe.proto). */
export const V1_TYPES: Record<number, string> = { 4: 'Convolution', 18: 'ReLU', 17: 'Pooling', 14: 'InnerProduct', 6: 'Dropout', 15: 'LRN', 20: 'Softmax', 21: 'SoftmaxWithLoss', 5: 'Data', 1: 'Accuracy' };

export interface CaffeBlob {
  shape?: { dim?: (number | { toNumber(): number })[] };
  data?: number[];
  num?: number;
  channels?: number;
  height?: number;
  width?: number;
}

export interface CaffeWeightsLayer {
  name: string;
  blobs: CaffeBlob[];
}
