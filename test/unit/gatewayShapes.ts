/** The new-api console's reply shapes, as the simulator tests read them raw. */
export interface Envelope<T> {
  success: boolean;
  message: string;
  data?: T;
}

export interface Paged<T> {
  page: number;
  page_size: number;
  total: number;
  items: T[];
}
